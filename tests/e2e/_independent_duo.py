"""An independent calculation of `sector_growth` and the share of women from DUO's raw CSV files.

Plain Python over the files as they lie in a raw directory (`duo/<dataset>/<YYYY-MM-DD>_<name>.csv` and
`reference/croho_classification.csv` / `reference/institutions.csv`): the csv module, `decimal` for exact
rounding, nothing from the pipeline (no pandas, no DuckDB, no import from pipelines/, assets/ or
orchestration/). It implements the counting rules of the raw-data contract (sections 2, 4, 5, 10, 11;
where 11 and an earlier section disagree, 11 stands) for the layouts of the real DUO files:

- HO layout G (03b eerstejaars, 05 gediplomeerden: GESLACHT rows, one count column per year),
  layout W as DUO really published it (`2013 MAN;2013 VROUW;...`, TYPE HOGER ONDERWIJS = programme
  type, trailing `;`, `totalen` footer) and DUO's long API tables (`STUDIEJAAR`, `AANTAL_*`, `-1`).
- mbo layout M2 (`MAN2015;VROUW2015;TOTAAL2015;...`): TOTAAL is the count (11.3).
- vo exam candidates, current (10.5, `<5`) and older (11.4, ONBEKEND columns) layouts: TOTAAL is the count.

Decisions the contract leaves to the reader, written down:
- A series' years are the years its winning deliveries hold for its dataset and sector (a year with no
  counted row has value 0). `ho` = hbo + wo and `havo_vwo` = havo + vwo over the years either part has
  (a part without that year adds nothing), provisional when any part is.
- A delivery "contains" a (sector, year) when the file holds that year (header year column, or a
  STUDIEJAAR value) and at least one row of that sector. Its newest year (over the whole file) is provisional.
- vmbo `uitstroom_tl` is not available in a year in which no `VMBO T - <sector>` cell of the winning
  delivery holds a candidate (a non-zero or masked TOTAAL): no figure, no baseline.
- The sector of an HO file: the institution's `soort` in reference/institutions.csv when it is hbo/wo,
  else DUO's file name (`-hbo-` / `-wo-` / `...hbo` in the API table's name); both must agree.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

# --------------------------------------------------------------------------------------------- values

MASK_VALUE, MASK_LOW, MASK_HIGH = Decimal("2.5"), 1, 4

INSTROOM_TYPES = {"bachelor", "associate degree", "propedeuse bachelor", "ongedeelde opleiding"}
NOT_INSTROOM_TYPES = {"master", "postmaster"}
UITSTROOM_DIPLOMAS = {"hbo associate degree", "hbo bachelor", "wo master", "wo doctoraal", "wo ongedeelde opleiding"}
NOT_UITSTROOM_DIPLOMAS = {"hbo master", "hbo postmaster", "wo bachelor", "wo postmaster"}
MBO_SECTORS = {"techniek", "economie", "zorg en welzijn", "groen", "landbouw", "combinatie van sectoren"}
MBO_TYPES = {"bol", "bbl", "bolvt", "boldt"}
VMBO_SECTORS = {"techniek", "economie", "zorg en welzijn", "landbouw", "intersectoraal"}
VMBO_LEERWEGEN = {"b", "k", "g", "t", "lwt"}
VO_PROFILES = {"n&t", "n&g", "e&m", "c&m"}
GENDERS = {"man", "vrouw", "onbekend"}

# (sector, measure) series the pipeline publishes: dbt_project/seeds/growth_targets.csv, copied here as
# data (the test checks the copy against the seed) so that this module reads nothing of the pipeline.
PUBLISHED_SERIES = {
    ("hbo", "instroom"), ("wo", "instroom"), ("ho", "instroom"),
    ("hbo", "uitstroom"), ("wo", "uitstroom"), ("ho", "uitstroom"),
    ("hbo", "instroom_excl_informatica"), ("wo", "instroom_excl_informatica"), ("ho", "instroom_excl_informatica"),
    ("hbo", "uitstroom_excl_informatica"), ("wo", "uitstroom_excl_informatica"),
    ("ho", "uitstroom_excl_informatica"),
    ("mbo", "instroom"), ("mbo", "uitstroom"),
    ("havo", "instroom"), ("vwo", "instroom"), ("havo_vwo", "instroom"),
    ("vmbo", "uitstroom"), ("vmbo", "uitstroom_tl"),
    ("havo", "uitstroom"), ("vwo", "uitstroom"), ("havo_vwo", "uitstroom"),
}
AGGREGATES = {"ho": ("hbo", "wo"), "havo_vwo": ("havo", "vwo")}


def norm(text: str) -> str:
    """Contract 5: trimmed, case-insensitive, `_` = space (runs of spaces as one)."""
    return " ".join(text.replace("_", " ").split()).lower()


HEADER_SYNONYMS = {
    "instellingscode actueel": "brin nummer actueel",
    "croho onderdeel": "onderdeel",
    "croho subonderdeel": "subonderdeel",
    "brinnummer": "brin nummer",
    "instellingscode": "brin nummer",
    "aantal ingeschrevenen": "aantal",
    "aantal eerstejaars ingeschrevenen": "aantal",
    "aantal gediplomeerden": "aantal",
}


def header_key(text: str) -> str:
    key = norm(text)
    return HEADER_SYNONYMS.get(key, key)


@dataclass(frozen=True)
class Count:
    value: Decimal
    low: int
    high: int
    masked: int

    def __add__(self, other: Count) -> Count:
        return Count(self.value + other.value, self.low + other.low, self.high + other.high,
                     self.masked + other.masked)

    @property
    def holds_someone(self) -> bool:
        return self.high > 0


ZERO = Count(Decimal(0), 0, 0, 0)


def parse_count(text: str, masks: tuple[str, ...], thousands: bool) -> Count | None:
    """None for an empty cell (no data); masked cells as 2.5 / 1 / 4 (contract 4)."""
    s = text.strip()
    if s == "":
        return None
    if s in masks:
        return Count(MASK_VALUE, MASK_LOW, MASK_HIGH, 1)
    if thousands and re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+", s):
        raise ValueError(f"not a count: {text!r}")
    n = int(s)
    return Count(Decimal(n), n, n, 0)


def round_half_away(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)  # ROUND_HALF_UP is half away from zero


def ratio_1dp(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return round_half_away(Decimal(100) * part / whole)


# ----------------------------------------------------------------------------------------- the files

def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (line number, fields) rows; UTF-8 (with or without BOM) else cp1252; `;` or `,`."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    header = rows[0]
    return header, [(i + 2, r) for i, r in enumerate(rows[1:])]


@dataclass
class Cell:
    """One counted (or countable) cell of a delivery."""
    sector: str
    year: int
    measures: frozenset[str]   # the measures this cell counts toward (may be empty)
    count: Count
    gender: str | None         # man / vrouw for gender figures; None = totals only
    for_totals: bool           # counts in sector_growth (TOTAAL, or every GESLACHT row)


@dataclass
class Delivery:
    path: Path
    dataset: str
    date: str
    layout: str
    years: set[int] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    cells: list[Cell] = field(default_factory=list)
    tl_with_sector: set[int] = field(default_factory=set)   # years with a VMBO T - <sector> candidate
    quarantined: list[str] = field(default_factory=list)     # rows the contract would quarantine
    not_counted: dict[str, int] = field(default_factory=dict)

    @property
    def newest_year(self) -> int:
        return max(self.years)


@dataclass
class Reference:
    croho: dict[str, tuple[bool, bool]]   # opleidingscode -> (betatechniek, informatica)
    soort: dict[str, str]                 # instellingscode -> soort

    @classmethod
    def read(cls, ref_dir: Path) -> Reference:
        croho, soort = {}, {}
        with (ref_dir / "croho_classification.csv").open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh, delimiter=";"):
                croho[r["opleidingscode"].strip()] = (norm(r["betatechniek"]) == "j", norm(r["informatica"]) == "j")
        with (ref_dir / "institutions.csv").open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh, delimiter=";"):
                soort[r["instellingscode"].strip()] = norm(r["soort"])
        return cls(croho, soort)

    def classify(self, code: str, onderdeel: str) -> tuple[bool, bool]:
        """(bèta/techniek, informatica) of an HO programme (contract 6.1, 10.3)."""
        if code in self.croho:
            return self.croho[code]
        return norm(onderdeel) in {"natuur", "techniek"}, False


def sector_from_file_name(name: str) -> str:
    n = name.lower()
    has_hbo, has_wo = bool(re.search(r"hbo", n)), bool(re.search(r"(^|[-_])wo([-_.]|$)", n))
    if has_hbo == has_wo:
        raise ValueError(f"cannot tell hbo or wo from the file name {name}")
    return "hbo" if has_hbo else "wo"


def ho_sector(ref: Reference, institution: str, file_sector: str) -> str:
    soort = ref.soort.get(institution.strip())
    if soort in {"hbo", "wo"} and soort != file_sector:
        raise ValueError(f"institution {institution} is {soort} in a {file_sector} file")
    return file_sector


# -------------------------------------------------------------------------------------------- HO

def _ho_measures(dataset: str, kind: str, beta: bool, informatica: bool, d: Delivery) -> frozenset[str]:
    """kind: programme type (eerstejaars) or soort diploma (gediplomeerden)."""
    if dataset == "ho_eerstejaars":
        if kind in NOT_INSTROOM_TYPES:
            d.not_counted[kind] = d.not_counted.get(kind, 0) + 1
            return frozenset()
        if kind not in INSTROOM_TYPES:
            raise ValueError(f"unknown programme type {kind!r}")
        base = "instroom"
    else:
        if kind in NOT_UITSTROOM_DIPLOMAS:
            d.not_counted[kind] = d.not_counted.get(kind, 0) + 1
            return frozenset()
        if kind not in UITSTROOM_DIPLOMAS:
            raise ValueError(f"unknown soort diploma {kind!r}")
        base = "uitstroom"
    if not beta:
        return frozenset()
    return frozenset({base} if informatica else {base, f"{base}_excl_informatica"})


def read_ho(d: Delivery, ref: Reference) -> None:
    header, rows = read_rows(d.path)
    keys = [header_key(h) for h in header]
    col = {k: i for i, k in enumerate(keys) if k}
    file_sector = sector_from_file_name(d.path.name)
    kind_col = col.get("soort diploma", col.get("type hoger onderwijs"))
    if "studiejaar" in col:                                   # long (API table)
        d.layout = "API"
        year_cols = None
    elif "geslacht" in col:                                   # layout G
        d.layout = "G"
        year_cols = [(int(k), None, i) for i, k in enumerate(keys) if re.fullmatch(r"\d{4}", k)]
    else:                                                     # layout W: "2013 man", "2013 vrouw"
        d.layout = "W"
        year_cols = []
        for i, k in enumerate(keys):
            m = re.fullmatch(r"(\d{4}) (man|vrouw)", k)
            if m:
                year_cols.append((int(m.group(1)), m.group(2), i))
    if year_cols is not None:
        d.years |= {y for y, _, _ in year_cols}
    for line, r in rows:
        if not any(f.strip() for f in r):
            continue
        institution = r[col["brin nummer actueel"]].strip()
        if not institution:                                   # footer (`totalen`, `Bron: DUO`)
            continue
        sector = ho_sector(ref, institution, file_sector)
        d.sectors.add(sector)
        beta, informatica = ref.classify(r[col["opleidingscode actueel"]].strip(), r[col["onderdeel"]])
        measures = _ho_measures(d.dataset, norm(r[kind_col]), beta, informatica, d)
        if d.layout == "API":
            year = int(r[col["studiejaar"]].strip())
            d.years.add(year)
            gender = norm(r[col["geslacht"]]) if "geslacht" in col else None
            cells = [(year, gender, r[col["aantal"]])]
            masks = ("-1",)
        elif d.layout == "G":
            gender = norm(r[col["geslacht"]])
            cells = [(y, gender, r[i]) for y, _, i in year_cols]
            masks = ("<5",)
        else:
            cells = [(y, g, r[i]) for y, g, i in year_cols]
            masks = ("<5",)
        for year, gender, text in cells:
            if gender is not None and gender not in GENDERS:
                raise ValueError(f"{d.path.name}:{line}: unknown gender {gender!r}")
            count = parse_count(text, masks, thousands=d.layout != "API")  # DUO API tables: plain integers
            if count is None:
                continue
            d.cells.append(Cell(sector, year, measures, count,
                                gender if gender in {"man", "vrouw"} else None, True))


# ------------------------------------------------------------------------------------------- mbo

def read_mbo(d: Delivery) -> None:
    header, rows = read_rows(d.path)
    keys = [header_key(h) for h in header]
    col = {k: i for i, k in enumerate(keys) if k}
    d.layout = "M2"
    years = sorted({int(m.group(1)) for k in keys if (m := re.fullmatch(r"(?:man|vrouw|totaal) ?(\d{4})", k))})
    d.years |= set(years)
    find = {(g, y): next(i for i, k in enumerate(keys) if re.fullmatch(rf"{g} ?{y}", k))
            for g in ("man", "vrouw", "totaal") for y in years}
    for line, r in rows:
        if not any(f.strip() for f in r) or not r[col["brin nummer"]].strip():
            continue
        d.sectors.add("mbo")
        sector = norm(r[col["mbo sector"]])
        if sector not in MBO_SECTORS or norm(r[col["type mbo"]]) not in MBO_TYPES:
            raise ValueError(f"{d.path.name}:{line}: unknown MBO SECTOR / TYPE MBO")
        measures = frozenset({"instroom"} if sector == "techniek" else set())
        for y in years:
            man, vrouw, totaal = (parse_count(r[find[(g, y)]], ("<5",), True) for g in ("man", "vrouw", "totaal"))
            _check_totaal(d, line, y, man, vrouw, totaal, measures)
            if totaal is not None:
                d.cells.append(Cell("mbo", y, measures, totaal, None, True))
            for g, c in (("man", man), ("vrouw", vrouw)):
                if c is not None:
                    d.cells.append(Cell("mbo", y, measures, c, g, False))


def _check_totaal(d: Delivery, line: int, year: int, man, vrouw, totaal, measures) -> None:
    """Contract 11.3: TOTAAL >= MAN + VROUW where all three are unmasked; a masked TOTAAL next to
    MAN + VROUW of 5 or more quarantines the row (only rows that could count matter, 11.6)."""
    if not measures:
        return
    m, v = man or ZERO, vrouw or ZERO
    t = totaal or ZERO
    if not (m.masked or v.masked or t.masked) and t.value < m.value + v.value:
        d.quarantined.append(f"{d.path.name}:{line} {year}: TOTAAL {t.value} < MAN + VROUW {m.value + v.value}")
    if t.masked and not (m.masked or v.masked) and m.value + v.value >= 5:
        d.quarantined.append(f"{d.path.name}:{line} {year}: masked TOTAAL, MAN + VROUW {m.value + v.value}")


# ---------------------------------------------------------------------------------------- vo exams

def classify_exam(opleidingsnaam: str) -> tuple[str, str | None, str | None, list[str]]:
    """(sector, leerweg, vmbo sector, profiles) from `<type> - <sector or profiles>` or `<type>`."""
    name = opleidingsnaam.strip()
    kind, _, rest = name.partition(" - ")
    kind = norm(kind)
    rest = rest.strip()
    if kind.startswith("vmbo"):
        leerweg = kind.split()[1]
        if leerweg not in VMBO_LEERWEGEN:
            raise ValueError(f"unknown leerweg in {opleidingsnaam!r}")
        vmbo_sector = norm(rest.replace("&", " en ")) if rest else None
        if vmbo_sector is not None and vmbo_sector not in VMBO_SECTORS:
            raise ValueError(f"unknown vmbo sector in {opleidingsnaam!r}")
        return "vmbo", leerweg, vmbo_sector, []
    if kind in {"havo", "vwo"}:
        profiles = [norm(p) for p in rest.split(" / ")]
        if not set(profiles) <= VO_PROFILES:
            raise ValueError(f"unknown profile in {opleidingsnaam!r}")
        return kind, None, None, profiles
    raise ValueError(f"unknown exam type {opleidingsnaam!r}")


def read_exams(d: Delivery) -> None:
    header, rows = read_rows(d.path)
    keys = [header_key(h) for h in header]
    col = {k: i for i, k in enumerate(keys) if k}
    years: dict[int, dict[str, int]] = {}
    for i, k in enumerate(keys):
        m = re.fullmatch(r"examenkandidaten schooljaar (\d{4})-(\d{4}) - (man|vrouw|onbekend|totaal)", k)
        if m:
            assert int(m.group(2)) == int(m.group(1)) + 1, k
            years.setdefault(int(m.group(1)), {})[m.group(3)] = i
    d.layout = "E-old" if any("onbekend" in g for g in years.values()) else "E"
    d.years |= set(years)
    for line, r in rows:
        if not any(f.strip() for f in r) or not r[col["brin nummer"]].strip():
            continue
        sector, leerweg, vmbo_sector, profiles = classify_exam(r[col["opleidingsnaam"]])
        if norm(r[col["onderwijstype vo"]]) != sector:
            raise ValueError(f"{d.path.name}:{line}: ONDERWIJSTYPE VO disagrees with OPLEIDINGSNAAM")
        d.sectors.add(sector)
        if sector == "vmbo":
            if vmbo_sector == "techniek":
                measures = frozenset({"uitstroom_tl"} if leerweg == "t" else {"uitstroom"})
            else:
                measures = frozenset()
        else:
            measures = frozenset({"uitstroom"} if {"n&t", "n&g"} & set(profiles) else set())
        for y, cols in years.items():
            man, vrouw, totaal = (parse_count(r[cols[g]], ("<5",), True) for g in ("man", "vrouw", "totaal"))
            _check_totaal(d, line, y, man, vrouw, totaal, measures)
            if sector == "vmbo" and leerweg == "t" and vmbo_sector is not None and totaal and totaal.holds_someone:
                d.tl_with_sector.add(y)
            if totaal is not None:
                d.cells.append(Cell(sector, y, measures, totaal, None, True))
            for g, c in (("man", man), ("vrouw", vrouw)):
                if c is not None:
                    d.cells.append(Cell(sector, y, measures, c, g, False))


# ------------------------------------------------------------------------------------- the figures

MEASURE_DATASETS = {
    ("ho", "instroom"): "ho_eerstejaars", ("ho", "instroom_excl_informatica"): "ho_eerstejaars",
    ("ho", "uitstroom"): "ho_gediplomeerden", ("ho", "uitstroom_excl_informatica"): "ho_gediplomeerden",
    ("mbo", "instroom"): "mbo_eerstejaars",
    ("vo", "uitstroom"): "vo_examenkandidaten", ("vo", "uitstroom_tl"): "vo_examenkandidaten",
}


def dataset_of(sector: str, measure: str) -> str | None:
    family = {"hbo": "ho", "wo": "ho", "havo": "vo", "vwo": "vo", "vmbo": "vo"}.get(sector, sector)
    return MEASURE_DATASETS.get((family, measure))


@dataclass(frozen=True)
class Figure:
    sector: str
    measure: str
    year: int
    count: Count
    is_provisional: bool
    available: bool = True     # False: vmbo uitstroom_tl in a year without sectors (11.2)
    source: str = ""


def load_deliveries(raw: Path) -> tuple[list[Delivery], Reference]:
    ref = Reference.read(raw / "reference")
    deliveries = []
    for path in sorted((raw / "duo").glob("*/*.csv")):
        m = re.match(r"(\d{4}-\d{2}-\d{2})_", path.name)
        if not m:
            raise ValueError(f"{path.name}: no date prefix")
        d = Delivery(path, path.parent.name, m.group(1), "")
        if d.dataset in {"ho_eerstejaars", "ho_gediplomeerden"}:
            read_ho(d, ref)
        elif d.dataset == "mbo_eerstejaars":
            read_mbo(d)
        elif d.dataset == "vo_examenkandidaten":
            read_exams(d)
        else:
            raise ValueError(f"no reader for {d.dataset}")
        deliveries.append(d)
    return deliveries, ref


def winners(deliveries: list[Delivery]) -> dict[tuple[str, str, int], Delivery]:
    """(dataset, sector, year) -> the latest delivery holding that sector and year (2, 11.1)."""
    out: dict[tuple[str, str, int], Delivery] = {}
    for d in deliveries:
        for s in d.sectors:
            for y in d.years:
                key = (d.dataset, s, y)
                other = out.get(key)
                if other is not None and other.date == d.date:
                    raise ValueError(f"{other.path.name} and {d.path.name} cannot be ranked for {key}")
                if other is None or d.date > other.date:
                    out[key] = d
    return out


def compute(raw: Path) -> Calculation:
    deliveries, _ = load_deliveries(raw)
    win = winners(deliveries)
    base: dict[tuple[str, str, int], Figure] = {}
    women: dict[tuple[str, str, int], tuple[Decimal, Decimal]] = {}
    for (dataset, sector, year), d in sorted(win.items(), key=lambda kv: kv[0]):
        for (s, measure) in sorted(PUBLISHED_SERIES):
            if s != sector or dataset_of(s, measure) != dataset:
                continue
            cells = [c for c in d.cells if c.sector == sector and c.year == year and measure in c.measures]
            total = sum((c.count for c in cells if c.for_totals), ZERO)
            available = not (measure == "uitstroom_tl" and year not in d.tl_with_sector)
            base[(sector, measure, year)] = Figure(sector, measure, year, total, year == d.newest_year,
                                                   available, d.path.name)
            man = sum((c.count.value for c in cells if c.gender == "man"), Decimal(0))
            vrouw = sum((c.count.value for c in cells if c.gender == "vrouw"), Decimal(0))
            if any(c.gender for c in cells):
                women[(sector, measure, year)] = (vrouw, man + vrouw)
    figures = dict(base)
    for agg, parts in AGGREGATES.items():
        keys = {(m, y) for (s, m, y) in base if s in parts}
        for measure, year in sorted(keys):
            if (agg, measure) not in PUBLISHED_SERIES:
                continue
            members = [base[(p, measure, year)] for p in parts if (p, measure, year) in base]
            figures[(agg, measure, year)] = Figure(
                agg, measure, year, sum((f.count for f in members), ZERO), any(f.is_provisional for f in members),
                all(f.available for f in members), "+".join(f.source for f in members))
            w = [women[(p, measure, year)] for p in parts if (p, measure, year) in women]
            if w:
                women[(agg, measure, year)] = (sum(a for a, _ in w), sum(b for _, b in w))
    quarantined = [q for d in deliveries for q in d.quarantined]
    return Calculation(figures, women, quarantined, deliveries)


@dataclass
class Calculation:
    figures: dict[tuple[str, str, int], Figure]
    women: dict[tuple[str, str, int], tuple[Decimal, Decimal]]   # (vrouw, man + vrouw)
    quarantined: list[str]
    deliveries: list[Delivery]

    def rows(self, baseline_year: int) -> dict[tuple[str, str, int], dict[str, str]]:
        """The expected sector_growth rows as text, in the mart's number formats."""
        out = {}
        for key, f in sorted(self.figures.items()):
            if not f.available:
                out[key] = {"available": "false", "source": f.source}
                continue
            b = self.figures.get((f.sector, f.measure, baseline_year))
            baseline = b.count.value if b is not None and b.available else None
            index = ratio_1dp(f.count.value, baseline) if baseline is not None else None
            out[key] = {
                "value": f"{f.count.value:.1f}",
                "value_low": str(f.count.low),
                "value_high": str(f.count.high),
                "n_masked_cells": str(f.count.masked),
                "baseline_year": str(baseline_year),
                "baseline_value": "" if baseline is None else f"{baseline:.1f}",
                "index": "" if index is None else f"{index:.1f}",
                "growth_pct": "" if index is None else f"{index - 100:.1f}",
                "is_provisional": "true" if f.is_provisional else "false",
                "available": "true",
                "source": f.source,
            }
        return out

    def share_women(self) -> dict[tuple[str, str, int], str]:
        return {k: f"{ratio_1dp(v, t):.1f}" for k, (v, t) in sorted(self.women.items()) if t}


def _print(raw: Path, baseline_year: int) -> None:
    calc = compute(raw)
    print(f"# {raw} (baseline {baseline_year}); quarantined: {calc.quarantined or 'none'}")
    for d in calc.deliveries:
        print(f"#   {d.path.name}: layout {d.layout}, years {min(d.years)}-{max(d.years)}, "
              f"sectors {sorted(d.sectors)}, not counted {d.not_counted}")
    print("sector,measure,year,value,low,high,masked,baseline,index,growth,provisional")
    for (s, m, y), r in calc.rows(baseline_year).items():
        if r["available"] == "false":
            print(f"{s},{m},{y},n/a")
            continue
        print(",".join([s, m, str(y), r["value"], r["value_low"], r["value_high"], r["n_masked_cells"],
                        r["baseline_value"], r["index"], r["growth_pct"], r["is_provisional"]]))
    print("share_women:", {f"{s} {m} {y}": v for (s, m, y), v in calc.share_women().items()
                           if m == "instroom" and s in {"hbo", "mbo", "wo"}})


if __name__ == "__main__":
    import sys

    _print(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000)
