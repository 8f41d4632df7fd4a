"""How the declared `duo/` datasets are read: their layouts, value normalisers and pandera schemas.

The datasets themselves (family, measure, which series they feed, stitching) are declared once in
dbt_project.yml (var duo_datasets). Adding a dataset = its declaration there, its reader here (a
DatasetSpec, plus a value normaliser and schema when it is a new family) and its staging model;
reading, quarantine and registry code is shared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipelines.dbt_settings import programme_types, sector_parts, seed_column, value_domain
from pipelines.ingest.geography import canonical_provinces, official_provinces
from pipelines.ingest.layouts import TOTAL_GENDER, DatasetSpec, Layout, LongLayout, WideLayout, declared_datasets
from pipelines.ingest.normalise import canonical_opleidingsvorm, canonical_value


_HO_DIMENSIONS = {
    "INSTELLINGSCODE ACTUEEL": "instellingscode",
    "ONDERDEEL": "onderdeel",
}
_HO_OPTIONAL = {
    # hbo/wo in the older layouts (the sector); the programme type (bachelor, master, ...) in layout G
    "TYPE HOGER ONDERWIJS": "type_hoger_onderwijs",
    # gediplomeerden: `hbo bachelor`, `wo master`, ... (G, API); `BACHELOR` in the older long layout
    "SOORT DIPLOMA": "soort_diploma",
    "INSTELLINGSNAAM ACTUEEL": "instellingsnaam",
    "OPLEIDINGSCODE ACTUEEL": "opleidingscode",  # API tables split by onderdeel have none
    "OPLEIDINGSNAAM ACTUEEL": "opleidingsnaam",
    "OPLEIDINGSVORM": "opleidingsvorm",
    "OPLEIDINGSFASE ACTUEEL": "opleidingsfase",  # descriptive only (contract 10.3)
    # DUO lists a programme once per municipality where it is taught: part of the row key
    "GEMEENTENUMMER": "gemeentenummer",
    # where it is taught: the row's province (regional_growth), else its municipality's
    "PROVINCIE": "provincie",  # PROVINCIENAAM in the API tables (normalise.HEADER_SYNONYMS)
    "GEMEENTENAAM": "gemeentenaam",
}
# Filled by normalise_ho_values: the sector and programme type each row states, and the sector
# DUO's file name states (`...-hbo-...`). dbt resolves the sector in the contract's order.
_HO_DERIVED = ("sector", "programme_type", "file_sector")
_V1_HO_COLUMNS = ("TYPE HOGER ONDERWIJS", "OPLEIDINGSCODE ACTUEEL", "OPLEIDINGSVORM")


def _ho_layouts(year_headers: tuple[str, ...], count_headers: tuple[str, ...]) -> tuple[Layout, ...]:
    return (
        # W: legacy wide, `2003 MAN;2003 VROUW;...`
        WideLayout(name="W", required_headers=_V1_HO_COLUMNS),
        # G: DUO's current files, one row per gender, one count column per year (`2015;2016;...`)
        WideLayout(name="G", count_header=r"^(?P<year>\d{4})$", gender_header="GESLACHT",
                   required_headers=("OPLEIDINGSCODE ACTUEEL", "OPLEIDINGSVORM")),
        # L: long, one row per year x gender; also DUO's API tables (AANTAL_* count columns, `-1`
        # masked, possibly without GESLACHT or without a programme code)
        LongLayout(name="L", year_headers=year_headers, count_headers=("AANTAL", *count_headers)),
    )


HO_EERSTEJAARS = DatasetSpec(
    name="ho_eerstejaars", dimensions=_HO_DIMENSIONS, optional_dimensions=_HO_OPTIONAL, derived_columns=_HO_DERIVED,
    layouts=_ho_layouts(("STUDIEJAAR",), ("AANTAL EERSTEJAARS INGESCHREVENEN", "AANTAL INGESCHREVENEN")))
HO_GEDIPLOMEERDEN = DatasetSpec(
    name="ho_gediplomeerden", dimensions=_HO_DIMENSIONS, optional_dimensions=_HO_OPTIONAL, derived_columns=_HO_DERIVED,
    layouts=_ho_layouts(("DIPLOMAJAAR", "STUDIEJAAR"), ("AANTAL GEDIPLOMEERDEN",)))

_MBO_DIMENSIONS = {
    "BRIN NUMMER": "instellingscode",
    "INSTELLINGSNAAM": "instellingsnaam",
    "PLAATSNAAM": "plaatsnaam",
    "MBO SECTOR": "mbo_sector",
    "KWALIFICATIE CODE": "kwalificatiecode",
    "KWALIFICATIE NAAM": "kwalificatienaam",
    "KWALIFICATIENIVEAU": "niveau",
    "TYPE MBO": "type_mbo",
}
_MBO_LAYOUTS = (
    WideLayout(name="W"),
    # M2: `MAN2015;VROUW2015;TOTAAL2015` (gender and year joined); TOTAAL is the count of the totals,
    # MAN and VROUW of the gender figures (contract 11.3)
    WideLayout(name="M2", count_header=r"^(?P<gender>MAN|VROUW|TOTAAL)(?P<year>\d{4})$", total_gender="TOTAAL"),
)

MBO_EERSTEJAARS = DatasetSpec(name="mbo_eerstejaars", dimensions=_MBO_DIMENSIONS, layouts=_MBO_LAYOUTS)
MBO_GEDIPLOMEERDEN = DatasetSpec(name="mbo_gediplomeerden", dimensions=_MBO_DIMENSIONS, layouts=_MBO_LAYOUTS)

VO_PROFIELKEUZE = DatasetSpec(
    name="vo_profielkeuze",
    dimensions={
        "BRIN NUMMER": "instellingscode",
        "VESTIGINGSNUMMER": "vestigingsnummer",
        "INSTELLINGSNAAM VESTIGING": "instellingsnaam",
        "PLAATSNAAM VESTIGING": "plaatsnaam",
        "PROVINCIE VESTIGING": "provincie",
        "ONDERWIJSTYPE VO": "sector",
        "LEERJAAR": "leerjaar",
        "PROFIEL": "profiel",
    },
    layouts=(WideLayout(name="W"),),
)

VMBO_EXAMENKANDIDATEN = DatasetSpec(
    name="vmbo_examenkandidaten",
    dimensions={
        "BRIN NUMMER": "instellingscode",
        "VESTIGINGSNUMMER": "vestigingsnummer",
        "INSTELLINGSNAAM VESTIGING": "instellingsnaam",
        "GEMEENTENAAM": "gemeentenaam",
        "LEERWEG VMBO": "leerweg",
        "VMBO SECTOR": "vmbo_sector",
    },
    # "EXAMENKANDIDATEN SCHOOLJAAR 2006-2007 MAN" is year 2006 (the start year).
    layouts=(WideLayout(name="W", count_header=(
        r"^EXAMENKANDIDATEN SCHOOLJAAR (?P<year>\d{4})-\d{4} (?P<gender>MAN|VROUW)$")),),
)

# DUO's "examenkandidaten en geslaagden" (vmbo, havo, vwo): the current file (contract 10.5) and DUO's
# older layout (11.4: `BRIN NUMMER;VESTIGINGSNUMMER`, ONBEKEND columns, SLAAGPERC `100,0%`), one
# layout: `INSTELLINGSCODE` = `BRIN NUMMER` and `VESTIGINGSCODE` = `VESTIGINGSNUMMER`
# (normalise.HEADER_SYNONYMS). TOTAAL is the count (11.3).
VO_EXAMENKANDIDATEN = DatasetSpec(
    name="vo_examenkandidaten",
    dimensions={
        "BRIN NUMMER": "instellingscode",
        "VESTIGINGSNUMMER": "vestigingsnummer",
        "ONDERWIJSTYPE VO": "onderwijstype",
        "OPLEIDINGSNAAM": "opleidingsnaam",
    },
    optional_dimensions={
        "INSTELLINGSNAAM VESTIGING": "instellingsnaam",
        "GEMEENTENAAM": "gemeentenaam",
        "INSPECTIECODE": "inspectiecode",
    },
    # From OPLEIDINGSNAAM `<type> - <sector or profiles>` (`VMBO B - techniek`, `VWO - N&T / N&G`) or
    # `<type>` alone (`VMBO T`: no sector stated, counts nowhere).
    derived_columns=("sector", "leerweg", "richting"),
    layouts=(WideLayout(
        name="E",
        count_header=(r"^(?P<kind>EXAMENKANDIDATEN|GESLAAGDEN|SLAAGPERC) SCHOOLJAAR (?P<year>\d{4})-\d{4} - "
                      r"(?P<gender>MAN|VROUW|ONBEKEND|TOTAAL)$"),
        total_gender="TOTAAL", count_kind="EXAMENKANDIDATEN",
        companions={"GESLAAGDEN": "geslaagden", "SLAAGPERC": "slaagperc"}),),
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (
    HO_EERSTEJAARS, HO_GEDIPLOMEERDEN, MBO_EERSTEJAARS, MBO_GEDIPLOMEERDEN, VO_PROFIELKEUZE, VMBO_EXAMENKANDIDATEN,
    VO_EXAMENKANDIDATEN)}


def check_readers_match_declarations() -> None:
    """Every dataset declared in dbt_project.yml (var duo_datasets) has a reader here, and every reader
    a declaration: a dataset is never silently left unread."""
    declared = set(declared_datasets())
    if declared != set(DATASETS):
        raise ValueError(f"DUO datasets declared without a reader: {sorted(declared - set(DATASETS))}; "
                         f"readers without a declaration: {sorted(set(DATASETS) - declared)}")


def datasets_feeding(sector: str, measure: str) -> list[str]:
    """The datasets whose cells can count in a published (sector, measure) series."""
    parts = sector_parts().get(sector, (sector,))
    return [spec.name for spec in DATASETS.values() if any((p, measure) in spec.feeds for p in parts)]


LEERWEG = {
    "bb": "BB", "basisberoepsgerichte leerweg": "BB",
    "kb": "KB", "kaderberoepsgerichte leerweg": "KB",
    "gl": "GL", "gemengde leerweg": "GL",
    "tl": "TL", "theoretische leerweg": "TL",
}


SECTORS_HO = ("hbo", "wo")


# DUO's API tables name the sector at the end of the table name: `eerstejaarsingeschrevenenhbo`.
_API_TABLE_SECTOR = re.compile(r"(?:ingeschrevenen|gediplomeerden|eerstejaars|inschrijvingen)(hbo|wo)$")


def sector_from_file_name(display: str) -> str | None:
    """DUO publishes hbo and wo as separate files (`03b-eerstejaars-...-hbo-...-2019.csv`,
    `eerstejaarsingeschrevenenhbo.csv`)."""
    words = re.split(r"[^a-z0-9]+", display.rsplit("/", 1)[-1].lower())
    found = {w for w in words if w in SECTORS_HO}
    found |= {m.group(1) for w in words if (m := _API_TABLE_SECTOR.search(w))}
    return found.pop() if len(found) == 1 else None


@dataclass(frozen=True)
class Normaliser:
    """Landing columns as a function of a few columns as read (trimmed text), run on their distinct
    values only: DuckDB joins the result back onto every cell, so the work does not grow with the rows.

    `apply` gets a frame of the distinct `inputs` tuples (string dtype, <NA> for a column the file does
    not have) and the delivery's display path, and returns a frame on the same index with `outputs`.
    A normaliser without inputs gives one row: a value for the whole delivery."""

    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    apply: Callable[[pd.DataFrame, str], pd.DataFrame]


def _each(column: str, fn: Callable[[pd.Series], pd.Series]) -> Normaliser:
    """One column normalised on its own."""
    return Normaliser((column,), (column,), lambda frame, display: pd.DataFrame({column: fn(frame[column])}))


def _lower(series: pd.Series) -> pd.Series:
    """Values compare case-insensitively with `_` = space (normalise.canonical_value)."""
    return series.map(canonical_value, na_action="ignore").astype("string")


def _code(series: pd.Series) -> pd.Series:
    return series.str.strip().str.upper()


def _ho_sector_and_type(frame: pd.DataFrame, display: str) -> pd.DataFrame:
    """The sector (hbo/wo) and the programme type a row states (contract 10.2, 10.3):
    - TYPE HOGER ONDERWIJS `hbo`/`wo` (older layouts) is the sector; any other value is the
      programme type (`bachelor`, `master`, `associate degree`; layout G).
    - SOORT DIPLOMA `hbo bachelor`, `wo master`, ...: its first word is the sector and the whole value
      the diploma type. Without that prefix (`BACHELOR` in the older long layout) it is descriptive.
    dbt fills a sector still unknown from reference/institutions.csv, then from `file_sector`."""
    out = pd.DataFrame({"type_hoger_onderwijs": _lower(frame["type_hoger_onderwijs"]),
                        "soort_diploma": _lower(frame["soort_diploma"])}, index=frame.index)
    kind = out["type_hoger_onderwijs"].replace("", pd.NA)
    diploma = out["soort_diploma"].replace("", pd.NA)
    diploma_sector = diploma.str.split(" ", n=1).str[0]
    diploma_is_typed = diploma_sector.isin(SECTORS_HO).fillna(False).astype(bool)
    kind_is_sector = kind.isin(SECTORS_HO).fillna(False).astype(bool)
    out["sector"] = kind.where(kind_is_sector, diploma_sector.where(diploma_is_typed)).astype("string")
    out["programme_type"] = kind.where(kind.notna() & ~kind_is_sector,
                                       diploma.where(diploma_is_typed)).astype("string")
    return out


def _file_sector(frame: pd.DataFrame, display: str) -> pd.DataFrame:
    return pd.DataFrame({"file_sector": pd.Series([sector_from_file_name(display)], dtype="string")})


# Spelling variants -> one spelling (contract section 5); the schema then checks the domain.
_HO_NORMALISERS = (
    *(_each(c, _lower) for c in ("onderdeel", "opleidingsfase")),
    _each("opleidingsvorm", lambda s: s.map(canonical_opleidingsvorm, na_action="ignore").astype("string")),
    _each("instellingscode", _code),
    _each("opleidingscode", lambda s: s.str.strip().replace("", pd.NA)),
    _each("provincie", canonical_provinces),
    Normaliser(("type_hoger_onderwijs", "soort_diploma"),
               ("type_hoger_onderwijs", "soort_diploma", "sector", "programme_type"), _ho_sector_and_type),
    Normaliser((), ("file_sector",), _file_sector),
)

_MBO_NORMALISERS = (
    _each("instellingscode", _code),
    _each("mbo_sector", _lower),
    _each("type_mbo", _code),
    _each("niveau", lambda s: s.str.strip()),
)


def _branch(frame: pd.DataFrame, display: str) -> pd.DataFrame:
    """`12AB01` and `01` are the same branch of school 12AB: keep the branch number only."""
    brin = _code(frame["instellingscode"])
    v = frame["vestigingsnummer"].str.strip().str.upper()
    prefixed = v.str.len().gt(2) & (v.str[:4] == brin)
    branch = v.mask(prefixed, v.str[4:])
    # `1` -> `01`; an empty branch stays empty (and is quarantined), never becomes branch `00`.
    return pd.DataFrame({"vestigingsnummer": branch.mask(branch.str.len().eq(1), branch.str.zfill(2))})


_BRANCH = Normaliser(("instellingscode", "vestigingsnummer"), ("vestigingsnummer",), _branch)

_VO_NORMALISERS = (
    _each("instellingscode", _code),
    _BRANCH,
    _each("provincie", canonical_provinces),
    _each("sector", _lower),  # HAVO / VWO -> the sector names havo / vwo
    _each("profiel", lambda s: s.str.replace(" ", "", regex=False).str.upper()),
    _each("leerjaar", lambda s: s.str.strip()),
)

_VMBO_NORMALISERS = (
    _each("instellingscode", _code),
    _BRANCH,
    _each("leerweg", lambda s: _lower(s).map(lambda v: LEERWEG.get(v, v), na_action="ignore").astype("string")),
    _each("vmbo_sector", _lower),
)

# OPLEIDINGSNAAM of the exam file: `VMBO B - techniek`, `HAVO - N&T / N&G` (contract 10.5), or the
# type alone (`VMBO T`: no sector stated, 11.2).
_EXAM_PROGRAMME = r"^(?P<type>VMBO|HAVO|VWO)(?: (?P<leerweg>B|K|G|T|LWT))?(?: - (?P<richting>.+))?$"
_EXAM_PROGRAMME_TEXT = r"(?i)^\s*(?:VMBO (?:B|K|G|T|LWT)|HAVO|VWO)(?: - .+)?\s*$"


def _dutch_percentage(series: pd.Series) -> pd.Series:
    """SLAAGPERC of DUO's older exam layout: `100,0%`, `,0%`, `66,7%` -> `100.0`, `0.0`, `66.7`."""
    text = series.str.strip().str.removesuffix("%").str.replace(",", ".", regex=False)
    return text.mask(text.str.startswith(".", na=False), "0" + text)


def _exam_programme(frame: pd.DataFrame, display: str) -> pd.DataFrame:
    parts = frame["opleidingsnaam"].str.strip().str.upper().str.extract(_EXAM_PROGRAMME)
    out = pd.DataFrame({"sector": parts["type"].str.lower().astype("string"),
                        "leerweg": parts["leerweg"].astype("string")}, index=frame.index)
    # vmbo: the sector, lower case (`zorg & welzijn` = `zorg en welzijn`); havo/vwo: the profiles (`N&T / N&G`)
    richting = parts["richting"].str.replace(r"\s*&\s*", "&", regex=True).str.replace(r"\s*/\s*", " / ", regex=True)
    vmbo_sector = richting.str.replace("&", " en ", regex=False).str.lower()
    out["richting"] = vmbo_sector.where(out["sector"] == "vmbo", richting).astype("string")
    return out


_VO_EXAM_NORMALISERS = (
    _each("instellingscode", _code),
    _BRANCH,
    _each("onderwijstype", _lower),
    _each("slaagperc", _dutch_percentage),
    Normaliser(("opleidingsnaam",), ("sector", "leerweg", "richting"), _exam_programme),
)

# family -> its normalisers (outputs never overlap: each landing column has one rule)
NORMALISERS: dict[str, tuple[Normaliser, ...]] = {
    "ho": _HO_NORMALISERS, "mbo": _MBO_NORMALISERS, "vo": _VO_NORMALISERS, "vmbo": _VMBO_NORMALISERS,
    "vo_exam": _VO_EXAM_NORMALISERS}


def _domain(family: str, column: str, header: str) -> pa.Check:
    """A column's known values (seed duo_value_domains, contract 11.2); anything else is quarantined."""
    values = value_domain(family, column)
    return pa.Check.isin(values, error=f"{header} is not a known value ({', '.join(values)})")


def _has_totals(spec: DatasetSpec) -> bool:
    return any(isinstance(layout, WideLayout) and layout.total_gender for layout in spec.layouts)


_INSTITUTION_CODE = pa.Check.str_matches(r"^[0-9A-Z]{4}$", error="institution code is not 4 characters")


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column("string", checks=list(checks), nullable=nullable)


def _province(header: str) -> pa.Column:
    """A province column after geography.canonical_province: one of the 12 official names, or empty."""
    names = official_provinces()
    return _text(pa.Check.isin(names, error=f"{header} is not one of the 12 provinces ({', '.join(names)})"),
                 nullable=True)


def cell_schema(spec: DatasetSpec, count_pattern: str, *, gender_optional: bool = False) -> pa.DataFrameSchema:
    """Schema of one dataset's cells as read (before counts are typed). `gender_optional`: the file
    has no gender column (a DUO API table split by dimension); its cells count in totals only."""
    genders = [*value_domain("all", "gender"), *([TOTAL_GENDER] if _has_totals(spec) else [])]
    common = {
        "line_number": pa.Column("Int64", pa.Check.ge(2)),
        "column_header": _text(),
        "raw_value": _text(pa.Check.str_matches(count_pattern, error="count is not a non-negative number or mask")),
        "year": _text(pa.Check.str_matches(r"^(19|20)\d\d$", error="year is not a 4-digit year")),
        "gender": _text(pa.Check.isin(genders, error=f"gender is not {' / '.join(genders)}"), nullable=gender_optional),
        "check_reason": _text(nullable=True),  # a failed row check (TOTAAL); read_delivery quarantines it
    }
    if spec.family == "ho":
        known_types = sorted(programme_types(spec.measure))
        dims = {
            "type_hoger_onderwijs": _text(nullable=True),
            "soort_diploma": _text(nullable=True),
            "sector": _text(pa.Check.isin(list(SECTORS_HO), error="sector is not hbo or wo"), nullable=True),
            "programme_type": _text(pa.Check.isin(known_types, error=(
                f"TYPE HOGER ONDERWIJS / SOORT DIPLOMA is not hbo/wo or a known {spec.measure} type "
                f"({', '.join(known_types)})")), nullable=True),
            "file_sector": _text(nullable=True),
            "instellingscode": _text(_INSTITUTION_CODE),
            "instellingsnaam": _text(nullable=True),
            "onderdeel": _text(pa.Check.str_length(min_value=1, error="onderdeel is empty")),
            "opleidingscode": _text(pa.Check.str_matches(r"^\d{1,6}$", error="opleidingscode is not numeric"),
                                    nullable=True),
            "opleidingsnaam": _text(nullable=True),
            "opleidingsvorm": _text(pa.Check.isin(["VT", "DT", "DU"], error="opleidingsvorm is not VT/DT/DU"),
                                    nullable=True),
            "opleidingsfase": _text(nullable=True),
            "gemeentenummer": _text(nullable=True),
            "gemeentenaam": _text(nullable=True),
            "provincie": _province("PROVINCIE"),
        }
    elif spec.family == "mbo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "instellingsnaam": _text(nullable=True),
            "plaatsnaam": _text(nullable=True),
            "mbo_sector": _text(_domain("mbo", "mbo_sector", "MBO SECTOR")),
            "kwalificatiecode": _text(pa.Check.str_matches(r"^\d{1,6}$", error="kwalificatiecode is not numeric")),
            "kwalificatienaam": _text(nullable=True),
            "niveau": _text(pa.Check.isin(["1", "2", "3", "4"], error="KWALIFICATIENIVEAU is not 1-4")),
            "type_mbo": _text(_domain("mbo", "type_mbo", "TYPE MBO")),
        }
    elif spec.family == "vo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "vestigingsnummer": _text(pa.Check.str_matches(r"^\d{2}$", error="vestigingsnummer is not 2 digits")),
            "instellingsnaam": _text(nullable=True),
            "plaatsnaam": _text(nullable=True),
            "provincie": _province("PROVINCIE VESTIGING"),
            "sector": _text(pa.Check.isin(["havo", "vwo"], error="ONDERWIJSTYPE VO is not HAVO or VWO")),
            "leerjaar": _text(pa.Check.isin(["4"], error="LEERJAAR is not 4")),
            "profiel": _text(pa.Check.isin(seed_column("vo_profiles", "profiel"), error="unknown PROFIEL")),
        }
    elif spec.family == "vmbo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "vestigingsnummer": _text(pa.Check.str_matches(r"^\d{2}$", error="vestigingsnummer is not 2 digits")),
            "instellingsnaam": _text(nullable=True),
            "gemeentenaam": _text(nullable=True),
            "leerweg": _text(pa.Check.isin(["BB", "KB", "GL", "TL"], error="unknown LEERWEG VMBO")),
            "vmbo_sector": _text(_domain("vmbo", "vmbo_sector", "VMBO SECTOR")),
        }
    elif spec.family == "vo_exam":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "vestigingsnummer": _text(pa.Check.str_matches(r"^\d{2}$", error="VESTIGINGSCODE is not a branch number")),
            "onderwijstype": _text(pa.Check.isin(["vmbo", "havo", "vwo"], error="ONDERWIJSTYPE VO is not VMBO/HAVO/VWO")),
            "opleidingsnaam": _text(pa.Check.str_matches(_EXAM_PROGRAMME_TEXT, error=(
                "OPLEIDINGSNAAM is not `<VMBO B|K|G|T|LWT|HAVO|VWO>[ - <sector or profiles>]`"))),
            "instellingsnaam": _text(nullable=True),
            "gemeentenaam": _text(nullable=True),
            "inspectiecode": _text(nullable=True),
            "geslaagden": _text(pa.Check.str_matches(r"^(?:\d+|<5|)$", error="GESLAAGDEN is not a count"),
                                nullable=True),
            "slaagperc": _text(pa.Check.str_matches(r"^(?:\d+(?:\.\d+)?|<5|)$", error="SLAAGPERC is not a percentage"),
                               nullable=True),
            "sector": _text(nullable=True),  # from OPLEIDINGSNAAM, checked there
            "leerweg": _text(pa.Check.isin(["B", "K", "G", "T", "LWT"], error="unknown vmbo leerweg"), nullable=True),
            # vmbo: a known sector (seed duo_value_domains); havo/vwo: the profiles; empty: no sector stated
            "richting": _text(nullable=True),
        }
    else:  # pragma: no cover - new families add their dimensions here
        raise KeyError(spec.family)
    return pa.DataFrameSchema({**common, **dims}, strict=True, coerce=False)
