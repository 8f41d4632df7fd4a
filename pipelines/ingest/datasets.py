"""The `duo/` datasets the pipeline accepts, their layouts and their pandera schemas.

Adding a sector = adding a DatasetSpec here (+ a value normaliser and schema if its dimensions
differ) and a landing source in dbt; reading, quarantine and registry code is shared.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from pipelines.ingest.layouts import DatasetSpec, LongLayout, WideLayout
from pipelines.ingest.normalise import canonical_opleidingsvorm, canonical_value

_HO_DIMENSIONS = {
    "TYPE HOGER ONDERWIJS": "sector",
    "INSTELLINGSCODE ACTUEEL": "instellingscode",
    "INSTELLINGSNAAM ACTUEEL": "instellingsnaam",
    "ONDERDEEL": "onderdeel",
    "OPLEIDINGSCODE ACTUEEL": "opleidingscode",
    "OPLEIDINGSNAAM ACTUEEL": "opleidingsnaam",
    "OPLEIDINGSVORM": "opleidingsvorm",
}

HO_EERSTEJAARS = DatasetSpec(
    name="ho_eerstejaars",
    family="ho",
    measure="instroom",
    dimensions=_HO_DIMENSIONS,
    optional_dimensions={"OPLEIDINGSFASE ACTUEEL": "opleidingsfase"},
    wide=WideLayout(name="W"),
    long=LongLayout(name="L", year_headers=("STUDIEJAAR",)),
)

HO_GEDIPLOMEERDEN = DatasetSpec(
    name="ho_gediplomeerden",
    family="ho",
    measure="uitstroom",
    dimensions=_HO_DIMENSIONS,
    # Wide files say OPLEIDINGSFASE ACTUEEL, long files SOORT_DIPLOMA: the same idea, one column.
    optional_dimensions={"OPLEIDINGSFASE ACTUEEL": "opleidingsfase", "SOORT DIPLOMA": "opleidingsfase"},
    wide=WideLayout(name="W"),
    long=LongLayout(name="L", year_headers=("DIPLOMAJAAR", "STUDIEJAAR")),
)

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

MBO_EERSTEJAARS = DatasetSpec(name="mbo_eerstejaars", family="mbo", measure="instroom",
                              dimensions=_MBO_DIMENSIONS, wide=WideLayout(name="W"))
MBO_GEDIPLOMEERDEN = DatasetSpec(name="mbo_gediplomeerden", family="mbo", measure="uitstroom",
                                 dimensions=_MBO_DIMENSIONS, wide=WideLayout(name="W"))

VO_PROFIELKEUZE = DatasetSpec(
    name="vo_profielkeuze",
    family="vo",
    measure="instroom",
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
    wide=WideLayout(name="W"),
)

VMBO_EXAMENKANDIDATEN = DatasetSpec(
    name="vmbo_examenkandidaten",
    family="vmbo",
    measure="uitstroom",
    dimensions={
        "BRIN NUMMER": "instellingscode",
        "VESTIGINGSNUMMER": "vestigingsnummer",
        "INSTELLINGSNAAM VESTIGING": "instellingsnaam",
        "GEMEENTENAAM": "gemeentenaam",
        "LEERWEG VMBO": "leerweg",
        "VMBO SECTOR": "vmbo_sector",
    },
    # "EXAMENKANDIDATEN SCHOOLJAAR 2006-2007 MAN" is year 2006 (the start year).
    wide=WideLayout(name="W", year_gender_pattern=(
        r"^EXAMENKANDIDATEN SCHOOLJAAR (?P<year>\d{4})-\d{4} (?P<gender>MAN|VROUW)$")),
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (
    HO_EERSTEJAARS, HO_GEDIPLOMEERDEN, MBO_EERSTEJAARS, MBO_GEDIPLOMEERDEN, VO_PROFIELKEUZE, VMBO_EXAMENKANDIDATEN)}

LEERWEG = {
    "bb": "BB", "basisberoepsgerichte leerweg": "BB",
    "kb": "KB", "kaderberoepsgerichte leerweg": "KB",
    "gl": "GL", "gemengde leerweg": "GL",
    "tl": "TL", "theoretische leerweg": "TL",
}


def normalise_ho_values(cells: pd.DataFrame) -> pd.DataFrame:
    """Spelling variants -> one spelling (contract section 5); the schema then checks the domain."""
    out = cells.copy()
    for col in ("sector", "onderdeel", "opleidingsfase"):
        out[col] = out[col].map(canonical_value, na_action="ignore").astype("string")
    out["opleidingsvorm"] = out["opleidingsvorm"].map(canonical_opleidingsvorm, na_action="ignore").astype("string")
    out["instellingscode"] = out["instellingscode"].str.strip().str.upper()
    return out


def _lower(series: pd.Series) -> pd.Series:
    return series.map(canonical_value, na_action="ignore").astype("string")


def _code(series: pd.Series) -> pd.Series:
    return series.str.strip().str.upper()


def normalise_mbo_values(cells: pd.DataFrame) -> pd.DataFrame:
    out = cells.copy()
    out["instellingscode"] = _code(out["instellingscode"])
    out["mbo_sector"] = _lower(out["mbo_sector"])
    out["type_mbo"] = out["type_mbo"].str.strip().str.upper()
    out["niveau"] = out["niveau"].str.strip()
    return out


def _branch(brin: pd.Series, vestiging: pd.Series) -> pd.Series:
    """`12AB01` and `01` are the same branch of school 12AB: keep the branch number only."""
    v = vestiging.str.strip().str.upper()
    prefixed = v.str.len().gt(2) & (v.str[:4] == brin)
    branch = v.mask(prefixed, v.str[4:])
    # `1` -> `01`; an empty branch stays empty (and is quarantined), never becomes branch `00`.
    return branch.mask(branch.str.len().eq(1), branch.str.zfill(2))


def normalise_vo_values(cells: pd.DataFrame) -> pd.DataFrame:
    out = cells.copy()
    out["instellingscode"] = _code(out["instellingscode"])
    out["vestigingsnummer"] = _branch(out["instellingscode"], out["vestigingsnummer"])
    out["sector"] = _lower(out["sector"])  # HAVO / VWO -> the sector names havo / vwo
    out["profiel"] = out["profiel"].str.replace(" ", "", regex=False).str.upper()
    out["leerjaar"] = out["leerjaar"].str.strip()
    return out


def normalise_vmbo_values(cells: pd.DataFrame) -> pd.DataFrame:
    out = cells.copy()
    out["instellingscode"] = _code(out["instellingscode"])
    out["vestigingsnummer"] = _branch(out["instellingscode"], out["vestigingsnummer"])
    leerweg = _lower(out["leerweg"])
    out["leerweg"] = leerweg.map(lambda v: LEERWEG.get(v, v), na_action="ignore").astype("string")
    out["vmbo_sector"] = _lower(out["vmbo_sector"])
    return out


VALUE_NORMALISERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {
    "ho": normalise_ho_values, "mbo": normalise_mbo_values, "vo": normalise_vo_values, "vmbo": normalise_vmbo_values}


_INSTITUTION_CODE = pa.Check.str_matches(r"^[0-9A-Z]{4}$", error="institution code is not 4 characters")


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column("string", checks=list(checks), nullable=nullable)


def cell_schema(spec: DatasetSpec, count_pattern: str) -> pa.DataFrameSchema:
    """Schema of one dataset's cells as read (before counts are typed)."""
    common = {
        "line_number": pa.Column("Int64", pa.Check.ge(2)),
        "column_header": _text(),
        "raw_value": _text(pa.Check.str_matches(count_pattern, error="count is not a non-negative number or mask")),
        "year": _text(pa.Check.str_matches(r"^(19|20)\d\d$", error="year is not a 4-digit year")),
        "gender": _text(pa.Check.isin(["MAN", "VROUW"], error="gender is not MAN or VROUW")),
    }
    if spec.family == "ho":
        dims = {
            "sector": _text(pa.Check.isin(["hbo", "wo"], error="TYPE HOGER ONDERWIJS is not hbo or wo")),
            "instellingscode": _text(_INSTITUTION_CODE),
            "instellingsnaam": _text(nullable=True),
            "onderdeel": _text(pa.Check.str_length(min_value=1, error="onderdeel is empty")),
            "opleidingscode": _text(pa.Check.str_matches(r"^\d{1,6}$", error="opleidingscode is not numeric")),
            "opleidingsnaam": _text(nullable=True),
            "opleidingsvorm": _text(pa.Check.isin(["VT", "DT", "DU"], error="opleidingsvorm is not VT/DT/DU")),
            "opleidingsfase": _text(nullable=True),
        }
    elif spec.family == "mbo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "instellingsnaam": _text(nullable=True),
            "plaatsnaam": _text(nullable=True),
            "mbo_sector": _text(pa.Check.isin(["techniek", "zorg en welzijn", "economie", "landbouw"],
                                              error="MBO SECTOR is not a known sector")),
            "kwalificatiecode": _text(pa.Check.str_matches(r"^\d{1,6}$", error="kwalificatiecode is not numeric")),
            "kwalificatienaam": _text(nullable=True),
            "niveau": _text(pa.Check.isin(["1", "2", "3", "4"], error="KWALIFICATIENIVEAU is not 1-4")),
            "type_mbo": _text(pa.Check.isin(["BOL", "BBL"], error="TYPE MBO is not BOL or BBL")),
        }
    elif spec.family == "vo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "vestigingsnummer": _text(pa.Check.str_matches(r"^\d{2}$", error="vestigingsnummer is not 2 digits")),
            "instellingsnaam": _text(nullable=True),
            "plaatsnaam": _text(nullable=True),
            "provincie": _text(nullable=True),
            "sector": _text(pa.Check.isin(["havo", "vwo"], error="ONDERWIJSTYPE VO is not HAVO or VWO")),
            "leerjaar": _text(pa.Check.isin(["4"], error="LEERJAAR is not 4")),
            "profiel": _text(pa.Check.isin(["NT", "NG", "NT/NG", "EM", "CM", "EM/CM"], error="unknown PROFIEL")),
        }
    elif spec.family == "vmbo":
        dims = {
            "instellingscode": _text(_INSTITUTION_CODE),
            "vestigingsnummer": _text(pa.Check.str_matches(r"^\d{2}$", error="vestigingsnummer is not 2 digits")),
            "instellingsnaam": _text(nullable=True),
            "gemeentenaam": _text(nullable=True),
            "leerweg": _text(pa.Check.isin(["BB", "KB", "GL", "TL"], error="unknown LEERWEG VMBO")),
            "vmbo_sector": _text(pa.Check.isin(["techniek", "zorg en welzijn", "economie", "landbouw"],
                                               error="VMBO SECTOR is not a known sector")),
        }
    else:  # pragma: no cover - new families add their dimensions here
        raise KeyError(spec.family)
    return pa.DataFrameSchema({**common, **dims}, strict=True, coerce=False)
