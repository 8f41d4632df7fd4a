"""`betamonitor trace`: one published figure back to the raw cells that made it, and proof.

For a published row (mart + grain keys) and column, the trace
1. reads the publication (catalog -> version -> data.csv and metadata.json);
2. finds, from that version's recorded inputs, the winning delivery per dataset and year, checks
   every input it needs against the raw directory (sha256) and says when one is gone or changed;
3. lists the raw cells behind the figure from the warehouse (`intermediate.int_classified_cells`,
   which keeps every delivery, so older versions trace too) and re-reads each of them from the raw
   file itself with the pipeline's reader (line, column header, raw text, how it was read);
4. recomputes the figure from those cells with the published rules (masking, rounding, disclosure
   control) and compares it with the published value: a mismatch is an error.

Supported marts: sector_growth, institution_growth, program_growth, gender_shares.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.dbt_settings import MANIFEST_PATH, dbt_vars
from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.deliveries import read_delivery, sha256_of
from pipelines.publishing.csv_safety import escape_row
from pipelines.publishing.publisher import read_catalog
from pipelines.quality.derived import SUM_OF_PARTS, round_half_away

TRACEABLE = ("sector_growth", "institution_growth", "program_growth", "gender_shares")


class TraceError(Exception):
    """The figure cannot be traced or proved; the message says why."""


@dataclass
class Trace:
    mart: str
    keys: dict
    column: str
    published_value: str
    publication: dict
    steps: list[dict] = field(default_factory=list)
    inputs: list[dict] = field(default_factory=list)
    superseded: list[dict] = field(default_factory=list)
    members: dict = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)
    recomputed: dict = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_counted: list[dict] = field(default_factory=list)  # rows of the population left out by type
    withdrawn: list[dict] = field(default_factory=list)  # deliveries taken out of use (`betamonitor withdraw`)

    @property
    def matches(self) -> bool:
        return not self.mismatches and not self.problems

    def to_json(self) -> dict:
        return {"mart": self.mart, "keys": self.keys, "column": self.column,
                "published_value": self.published_value, "publication": self.publication,
                "computation": self.steps, "inputs": self.inputs, "superseded_deliveries": self.superseded,
                "members": self.members, "raw_cells": self.cells, "recomputed": self.recomputed,
                "not_counted_by_type": self.not_counted,
                "matches_published_value": self.matches, "mismatches": self.mismatches,
                "problems": self.problems, "withdrawn_deliveries": self.withdrawn}


# --- which data a figure rests on -----------------------------------------------------------------

def dataset_of(con, sector: str, measure: str, year: int) -> str:
    """The dataset a figure's year was counted from, read from the model that summed it (a stitch
    group such as the two vmbo exam files can switch dataset between years)."""
    found = con.execute("select datasets from intermediate.int_sector_values where sector = ? and measure = ? "
                        "and year = ?", [sector, measure, year]).fetchall()
    if not found:
        raise TraceError(f"no {sector} {measure} figure for {year} in the warehouse")
    datasets = found[0][0]
    if len(datasets) != 1:
        raise TraceError(f"{sector} {measure} {year} is counted from several datasets ({', '.join(datasets)})")
    return datasets[0]


def _years_with_data(con, sector: str, measure: str) -> set[int]:
    return {y for (y,) in con.execute("select year from intermediate.int_sector_values where sector = ? and measure = ?",
                                      [sector, measure]).fetchall()}


def not_counted_by_type(con, *, sectors: list[str], measure: str, year: int, delivery: str) -> list[dict]:
    """HO rows of this figure's population left out for their programme/diploma type (contract 10.3)."""
    return _dicts(con, """
        select delivery_file, line_number, column_header, raw_value, instellingscode, opleidingscode,
               opleidingsnaam, programme_type, type_exclusion as reason
        from intermediate.int_ho_cells_classified
        where sector in (select unnest(?)) and measure = ? and year = ? and delivery_file = ?
          and is_betatechniek and not counts_by_type
        order by line_number, column_header""", [sectors, measure.removesuffix("_excl_informatica"), year, delivery])


def parts_of(sector: str) -> list[str]:
    return list(SUM_OF_PARTS.get(sector, (sector,)))


def masked(bound: str) -> Decimal:
    return Decimal(str(dbt_vars()[f"masked_{bound}"]))


def how_read(cell: dict) -> str:
    raw = cell["raw_value"]
    if cell["is_masked"]:
        return (f"{raw!r} = masked (real value 1-4): counts {masked('point')} "
                f"(low {masked('low')}, high {masked('high')})")
    if raw == "":
        return "'' = empty cell = 0"
    if "." in raw:
        return f"{raw!r} = {cell['count_value']} (thousands separator)"
    return f"{raw!r} = {cell['count_value']}"


# --- the publication --------------------------------------------------------------------------------

def load_publication(publish_dir: Path, mart: str, version: str | None) -> tuple[str, dict, list[dict]]:
    catalog = read_catalog(publish_dir)
    if mart not in catalog["marts"]:
        raise TraceError(f"{mart} is not in {publish_dir / 'catalog.json'}")
    version = version or catalog["marts"][mart]["version"]
    folder = publish_dir / mart / version
    if not (folder / "metadata.json").is_file():
        raise TraceError(f"version {version} of {mart} is not in {publish_dir}")
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    with (folder / "data.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return version, metadata, rows


def find_row(rows: list[dict], grain: list[str], keys: dict) -> dict:
    unknown = set(keys) - set(grain)
    if unknown:
        raise TraceError(f"{', '.join(sorted(unknown))} not in the grain ({', '.join(grain)})")
    missing = [g for g in grain if g not in keys]
    if missing:
        raise TraceError(f"give every grain key; missing: {', '.join(missing)}")
    hits = [r for r in rows if all(r[k] == str(v) for k, v in keys.items())]
    if len(hits) != 1:
        raise TraceError(f"{len(hits)} published rows match {keys}")
    return hits[0]


def model_chain(mart: str) -> list[dict]:
    """The dbt models upstream of the mart (from the manifest), data flow order, with file paths."""
    manifest = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    nodes = manifest["nodes"]
    order: list[str] = []

    def visit(uid: str) -> None:
        for dep in nodes[uid].get("depends_on", {}).get("nodes", []):
            if dep in nodes and nodes[dep]["resource_type"] in ("model", "seed") and dep not in order:
                visit(dep)
        if uid not in order:
            order.append(uid)

    visit(f"model.betamonitor.{mart}")
    return [{"model": nodes[u]["name"], "path": f"dbt_project/{nodes[u]['original_file_path']}",
             "description": re.split(r"\.\s+(?=[A-Z])", " ".join(nodes[u].get("description", "").split()))[0].rstrip(".")}
            for u in order
            if nodes[u]["resource_type"] == "model"]


# --- inputs and raw cells ----------------------------------------------------------------------------

class Inputs:
    """The inputs a version recorded, checked against the raw directory."""

    def __init__(self, metadata: dict, raw_dir: Path):
        self.recorded = metadata["inputs"]
        self.raw_dir = raw_dir
        self.checked: dict[str, dict] = {}

    def winner(self, dataset: str, year: int) -> dict:
        for i in self.recorded:
            if i["kind"] == "delivery" and i["dataset"] == dataset and year in i["years_used"]:
                return i
        raise TraceError(f"the publication records no {dataset} delivery for {year}")

    def superseded(self, dataset: str, year: int) -> list[dict]:
        return [i for i in self.recorded
                if i["kind"] == "delivery" and i["dataset"] == dataset and year in i["years_superseded"]]

    def check(self, entry: dict) -> dict:
        path = entry["path"]
        if path not in self.checked:
            file = self.raw_dir / path
            if not file.is_file():
                status = "gone: the file is no longer in the raw directory"
            elif sha256_of(file.read_bytes()) != entry["sha256"]:
                status = "changed: its sha256 differs from the one recorded in the publication"
            else:
                status = "ok"
            self.checked[path] = {**entry, "status": status}
        return self.checked[path]

    def current(self, kind: str, path_prefix: str = "") -> list[dict]:
        return [self.check(i) for i in self.recorded if i["kind"] == kind and i["path"].startswith(path_prefix)]


def _withdrawn(con, dataset: str) -> list[dict]:
    """Withdrawn deliveries of the dataset: kept in the warehouse, used by no figure."""
    if not con.execute("select count(*) from information_schema.tables where table_schema = 'landing' "
                       "and table_name = 'delivery_decisions'").fetchall()[0][0]:
        return []
    rows = con.execute("select delivery_file, reason, decided_by, strftime(decided_at, '%Y-%m-%dT%H:%M:%SZ') "
                       "from landing.delivery_decisions where decision = 'withdrawn' and dataset = ? "
                       "order by delivery_file", [dataset]).fetchall()
    return [{"path": f, "reason": r, "decided_by": b, "decided_at": a} for f, r, b, a in rows]


@lru_cache(maxsize=32)
def _read_file_cells(path: str, dataset: str, file: Path, sha256: str) -> dict[tuple[int, str], dict]:
    """One delivery re-read with the pipeline's reader, cached per file content (sha256)."""
    read = read_delivery(DATASETS[dataset], file.read_bytes(), path)
    return {(int(c.line_number), c.column_header): {
        "raw_value": c.raw_value,
        "count_value": None if pd.isna(c.count_value) else int(c.count_value),
        "is_masked": bool(c.is_masked)} for c in read.cells.itertuples(index=False)}


def reread(deliveries: dict[str, dict], raw_dir: Path) -> dict[tuple[str, int, str], dict]:
    """Read each delivery file again with the pipeline's reader: (file, line, column) -> cell."""
    out = {}
    for path, entry in deliveries.items():
        cells = _read_file_cells(path, entry["dataset"], raw_dir / path, entry["sha256"])
        out.update({(path, line, column): cell for (line, column), cell in cells.items()})
    return out


def sums(cells: list[dict]) -> dict:
    point = low = high = Decimal(0)
    n_masked = 0
    for c in cells:
        if c["is_masked"]:
            point, low, high, n_masked = point + masked("point"), low + masked("low"), high + masked("high"), n_masked + 1
        else:
            n = Decimal(c["count_value"] or 0)
            point, low, high = point + n, low + n, high + n
    # value is published with one decimal (masked cells make halves); the bounds are whole counts.
    return {"value": point.quantize(Decimal("0.1")), "value_low": int(low), "value_high": int(high),
            "n_masked_cells": n_masked}


def index_of(value: Decimal, baseline: Decimal) -> Decimal | None:
    return None if baseline == 0 else round_half_away(Decimal(100) * value / baseline)


# --- per-mart recipes ----------------------------------------------------------------------------------

CELL_COLUMNS = ("dataset, sector, measure, year, instellingscode, institution, gender, delivery_file, "
                "strftime(delivery_date, '%Y-%m-%d') as delivery_date, sha256, layout, line_number, "
                "column_header, raw_value, value, is_masked, cell_description")


def classified_cells(con, *, sectors: list[str], measure: str, year: int, delivery: str,
                     institutions: list[str] | None = None) -> list[dict]:
    sql = (f"select {CELL_COLUMNS} from intermediate.int_classified_cells "
           f"where sector in (select unnest(?)) and measure = ? and year = ? and delivery_file = ?")
    params: list = [sectors, measure, year, delivery]
    if institutions is not None:
        sql += " and institution in (select unnest(?))"
        params.append(institutions)
    return _dicts(con, sql + " order by delivery_file, line_number, column_header, sector", params)


def vo_profile_cells(con, *, sectors: list[str], year: int, delivery: str, institutions: list[str] | None,
                     gender: str | None) -> list[dict]:
    sql = ("select 'vo_profielkeuze' as dataset, c.sector, 'instroom' as measure, c.year, c.instellingscode, "
           "coalesce(m.surviving_code, c.instellingscode) as institution, c.gender, c.delivery_file, "
           "strftime(c.delivery_date, '%Y-%m-%d') as delivery_date, c.sha256, c.layout, c.line_number, "
           "c.column_header, c.raw_value, c.value, c.is_masked, "
           "'vestiging ' || c.vestigingsnummer || ', profiel ' || c.profiel as cell_description, "
           "c.profiel in ('NT', 'NG', 'NT/NG') as is_n_profiel "
           "from staging.stg_vo_cells c left join intermediate.int_institution_map m using (instellingscode) "
           "where c.sector in (select unnest(?)) and c.year = ? and c.delivery_file = ?")
    params: list = [sectors, year, delivery]
    if gender:
        sql += " and c.gender = ?"
        params.append(gender)
    if institutions is not None:
        sql += " and coalesce(m.surviving_code, c.instellingscode) in (select unnest(?))"
        params.append(institutions)
    return _dicts(con, sql + " order by c.line_number, c.column_header", params)


def _dicts(con, sql: str, params: list) -> list[dict]:
    rel = con.execute(sql, params)
    names = [d[0] for d in rel.description]
    return [dict(zip(names, r)) for r in rel.fetchall()]


def participants(con, programs: list[str], year: int) -> list[str]:
    rows = con.execute("select distinct institution from intermediate.int_participation_years "
                       "where programma in (select unnest(?)) and year = ? order by 1", [programs, year]).fetchall()
    return [r[0] for r in rows]


def program_list(con, program: str, sector: str) -> list[str]:
    if program != "ANY":
        return [program]
    return [r[0] for r in con.execute("select programma from reference.program_sectors where sector = ? order by 1",
                                      [sector]).fetchall()]


def fmt(x) -> str:
    return "empty" if x is None else str(x)


def trace_figure(mart: str, keys: dict, column: str | None, *, publish_dir: Path, warehouse: Path,
                 raw_dir: Path, version: str | None = None) -> Trace:
    if mart not in TRACEABLE:
        raise TraceError(f"trace supports {', '.join(TRACEABLE)}")
    version, metadata, rows = load_publication(publish_dir, mart, version)
    row = find_row(rows, metadata["grain"], keys)
    column = column or ("share_pct" if mart == "gender_shares" else "growth_pct")
    if column not in row:
        raise TraceError(f"{mart} has no column {column!r}")
    if column in metadata["grain"]:
        raise TraceError(f"{column!r} is a key of {mart} ({', '.join(metadata['grain'])}), not a figure: "
                         "trace a computed column such as growth_pct, index, value or share_pct")
    trace = Trace(mart=mart, keys=keys, column=column, published_value=row[column], publication={
        "version": version, "path": str(publish_dir / mart / version), "run_id": metadata["run"]["run_id"],
        "code_version": metadata["code_version"], "as_of": metadata["as_of"],
        "quality_gate": metadata["quality_gate"], "published_row": row})
    inputs = Inputs(metadata, raw_dir)
    if not warehouse.is_file():
        raise TraceError(f"warehouse {warehouse} does not exist: run the job first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        _trace(con, trace, row, inputs)
    finally:
        con.close()
    if trace.recomputed and trace.column not in trace.recomputed:
        raise TraceError(f"{mart}.{trace.column} is not a figure the trace recomputes; traceable columns: "
                         f"{', '.join(sorted(trace.recomputed))}")
    trace.inputs = list(inputs.checked.values())
    for entry in trace.inputs:
        if entry["status"] != "ok":
            trace.problems.append(f"input {entry['path']} is {entry['status']}")
    return trace


def _trace(con, trace: Trace, row: dict, inputs: Inputs) -> None:
    mart = trace.mart
    sector, measure, year = row["sector"], row["measure"], int(row["year"])
    baseline_year = int(row.get("baseline_year") or 0) or None
    years = [year] + ([baseline_year] if baseline_year and baseline_year != year else [])
    if mart == "sector_growth" and not row.get("baseline_value") and baseline_year not in _years_with_data(
            con, sector, measure):
        years = [year]  # the series has no baseline year (contract 10.6): shown as such, not recomputed
    datasets = {y: dataset_of(con, sector, measure, y) for y in years}
    dataset = datasets[year]
    winners = {y: inputs.check(inputs.winner(datasets[y], y)) for y in years}
    for y in years:
        for s in inputs.superseded(datasets[y], y):
            trace.superseded.append({"year": y, "path": s["path"], "date": s["date"], "sha256": s["sha256"],
                                     "reason": f"superseded for {y} by the newer delivery {winners[y]['path']} "
                                               f"({winners[y]['date']}): the latest delivery containing a year wins"})
    trace.withdrawn = _withdrawn(con, dataset)
    if dataset.startswith("ho_"):
        inputs.current("reference", "reference/croho_classification")
        for y in years:
            for c in not_counted_by_type(con, sectors=parts_of(sector), measure=measure, year=y,
                                         delivery=winners[y]["path"]):
                trace.not_counted.append({**c, "year": y})
    if any(i["status"] != "ok" for i in winners.values()):
        trace.steps = [{"step": "inputs", "detail": "an input the figure needs is gone or changed: not recomputed"}]
        return

    institutions: dict[int, list[str] | None] = {y: None for y in years}
    vo_gender = None
    if mart == "institution_growth":
        inputs.current("reference", "reference/institutions")
        institutions = {y: [row["instellingscode"]] for y in years}
        trace.members = {"institution": row["instellingscode"], "rule": "mergers: all codes that end in this "
                         "surviving code (reference/institutions.csv opgegaan_in) count as this institution"}
    elif mart == "program_growth":
        inputs.current("programs")
        programs = program_list(con, row["program"], sector)
        taking_part = participants(con, programs, year)
        sector_institutions = [r[0] for r in con.execute(
            "select distinct institution from intermediate.int_institution_values where sector = ? and measure = ? "
            "and year in (?, ?) group by institution having count(distinct year) = 2 order by 1",
            [sector, measure, year, baseline_year]).fetchall()]
        group = [i for i in sector_institutions if (i in taking_part) == (row["participation"] == "participants")]
        institutions = {y: group for y in years}
        trace.members = {"programs": programs, "year": year, "participation": row["participation"],
                         "institutions": group, "n_institutions": len(group),
                         "rule": f"institutions of {sector} with data in both {baseline_year} and {year}; "
                                 f"participants take part in {' or '.join(programs)} in {year} "
                                 "(vanaf <= year <= tot_en_met); the same institutions in both years"}
    elif mart == "gender_shares":
        if row["school_group"] != "all schools":
            inputs.current("programs")
            program = row["school_group"].removesuffix(" participants")
            programs = program_list(con, program, sector)
            group = participants(con, programs, year)
            institutions = {year: group}
            trace.members = {"school_group": row["school_group"], "programs": programs, "institutions": group,
                             "rule": f"schools taking part in {' or '.join(programs)} in {year}"}
        vo_gender = None if row["gender"] == "totaal" else row["gender"].upper()

    # Cells from the warehouse, each re-read from its raw file.
    per_year: dict[int, list[dict]] = {}
    for y in years:
        delivery = winners[y]["path"]
        if mart == "gender_shares" and row["indicator"] == "share_n_profiel":
            per_year[y] = vo_profile_cells(con, sectors=parts_of(sector), year=y, delivery=delivery,
                                           institutions=institutions[y], gender=vo_gender)
        else:
            per_year[y] = classified_cells(con, sectors=parts_of(sector), measure=measure, year=y,
                                           delivery=delivery, institutions=institutions[y])
        if not per_year[y] and mart != "program_growth":
            trace.problems.append(f"the warehouse holds no cells of {delivery} for this figure in {y}")
    raw = reread({w["path"]: w for w in winners.values()}, inputs.raw_dir)
    for y, cells in per_year.items():
        for c in cells:
            found = raw.get((c["delivery_file"], c["line_number"], c["column_header"]))
            if found is None:
                trace.mismatches.append(f"{c['delivery_file']} line {c['line_number']} column "
                                        f"{c['column_header']!r}: not in the raw file")
                continue
            if found["raw_value"] != c["raw_value"]:
                trace.mismatches.append(f"{c['delivery_file']} line {c['line_number']}: raw text "
                                        f"{found['raw_value']!r} in the file, {c['raw_value']!r} in the warehouse")
            c.update(found)
            c["how_read"] = how_read(c)
            c["value"] = str(c["value"])
            c["role"] = "figure year" if y == year else "baseline year"
            trace.cells.append(c)

    recompute = {"sector_growth": _recompute_growth, "institution_growth": _recompute_institution,
                 "program_growth": _recompute_growth, "gender_shares": _recompute_share}[mart]
    recompute(trace, row, per_year, year, baseline_year)
    numbers = _model_numbers(con, trace, row, datasets, winners, per_year, year, baseline_year)
    trace.steps = [*trace.steps, *({"step": f"model {m['model']}", "path": m["path"],
                                    "detail": m["description"] + (f" -> {numbers[m['model']]}" if m["model"] in numbers else "")}
                                   for m in model_chain(mart))]


def _model_numbers(con, trace: Trace, row: dict, datasets: dict, winners: dict, per_year: dict, year: int,
                   baseline_year: int | None) -> dict[str, str]:
    """This figure's own numbers at the dbt models it passed through (read from the warehouse)."""
    numbers: dict[str, str] = {}
    picks = []
    for y, w in sorted(winners.items()):
        provisional = con.execute("select any_value(is_provisional) from intermediate.int_delivery_years "
                                  "where dataset = ? and delivery_file = ? and year = ?",
                                  [datasets[y], w["path"], y]).fetchall()[0][0]
        picks.append(f"{y}: {w['path']}{' (provisional)' if provisional else ''}")
    numbers["int_delivery_years"] = "winning delivery " + "; ".join(picks)
    counted = ", ".join(f"{len(cells)} cells in {y}" for y, cells in sorted(per_year.items()))
    numbers["int_classified_cells"] = numbers["int_counted_cells"] = counted
    if trace.mart == "sector_growth":
        for y in {year, baseline_year} - {None}:
            found = con.execute("select value, value_low, value_high from intermediate.int_sector_values "
                                "where sector = ? and measure = ? and year = ?",
                                [row["sector"], row["measure"], y]).fetchall()
            if found:
                v, lo, hi = found[0]
                numbers["int_sector_values"] = numbers.get("int_sector_values", "") + \
                    f"{'; ' if 'int_sector_values' in numbers else ''}{y}: value {v} (low {lo}, high {hi})"
    numbers[trace.mart] = f"published row: {trace.column} = {row[trace.column] or 'empty'}"
    return numbers


def _compare(trace: Trace, row: dict, name: str, value) -> None:
    published = row.get(name, "")
    mine = "" if value is None else str(value)
    if name.startswith("n_") or name.endswith(("_low", "_high")):
        mine = "" if value is None else str(int(value))
    if published != mine:
        try:
            same = published != "" and mine != "" and Decimal(published) == Decimal(mine)
        except ArithmeticError:
            same = False
        if not same:
            trace.mismatches.append(f"{name}: published {published or 'empty'}, recomputed {mine or 'empty'}")
    trace.recomputed[name] = mine


def _growth_steps(trace: Trace, cur: dict, base: dict | None, year: int, baseline_year: int) -> tuple:
    value_step = {"step": "value", "detail": (
        f"value = sum of the {len([c for c in trace.cells if c['role'] == 'figure year'])} raw cells of {year} "
        f"(masked = {masked('point')}) = {cur['value']} (low {cur['value_low']}, high {cur['value_high']}, "
        f"{cur['n_masked_cells']} masked)")}
    if base is None:  # contract 10.6: the series has no data in its baseline year
        trace.steps = [value_step, {"step": "baseline_value", "detail": (
            f"the series has no data in the baseline year {baseline_year} (intermediate.int_series_without_baseline): "
            "baseline_value, index and growth_pct are empty")}]
        return None, None
    index = index_of(cur["value"], base["value"])
    growth = None if index is None else index - 100
    trace.steps = [
        value_step,
        {"step": "baseline_value", "detail": f"baseline_value = sum of the raw cells of {baseline_year} = {base['value']}"},
        {"step": "index", "detail": f"index = 100 x value / baseline_value = 100 x {cur['value']} / {base['value']} "
                                    f"= {fmt(index)} (1 decimal, half away from zero)"},
        {"step": "growth_pct", "detail": f"growth_pct = index - 100 = {fmt(index)} - 100 = {fmt(growth)}"},
    ]
    return index, growth


def _compare_growth(trace, row, cur: dict, base: dict, index, growth) -> None:
    for name in ("value", "value_low", "value_high", "n_masked_cells"):
        _compare(trace, row, name, cur[name])
    _compare(trace, row, "baseline_value", None if base is None else base["value"])
    _compare(trace, row, "index", index)
    _compare(trace, row, "growth_pct", growth)


def _baseline_sums(per_year: dict, year: int, baseline_year: int | None) -> dict | None:
    """The baseline year's sums; None when the series has no data in its baseline year (contract 10.6)."""
    key = year if baseline_year is None else baseline_year
    return sums(per_year[key]) if key in per_year else None


def _recompute_growth(trace, row, per_year, year, baseline_year):
    cur, base = sums(per_year[year]), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    _compare_growth(trace, row, cur, base, index, growth)


def _recompute_institution(trace, row, per_year, year, baseline_year):
    minimum = Decimal(str(dbt_vars()["min_publishable_count"]))
    cur, base = sums(per_year[year]), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    if base["value"] < minimum:
        expected = "primary"
        rule = f"baseline_value {base['value']} < {minimum}: primary suppression of the whole series"
    elif cur["value"] < minimum:
        expected = "primary"
        rule = f"value {cur['value']} < {minimum}: primary suppression"
    else:
        expected = "secondary" if row["suppression"] == "c" else ""
        rule = (f"value {cur['value']} and baseline {base['value']} are at least {minimum}; "
                + ("suppressed to protect the only other suppressed figure of the sector, measure and year"
                   if expected else "published"))
    trace.members["disclosure_rule"] = rule
    trace.steps.append({"step": "disclosure control", "detail": rule})
    actual = row["suppression_reason"].split(":")[0]
    if actual != expected:
        trace.mismatches.append(f"suppression: published {actual or 'none'}, the rule gives {expected or 'none'}")
    if row["suppression"] == "c":
        trace.recomputed.update({"value": str(cur["value"]), "index": fmt(index), "growth_pct": fmt(growth),
                                 "suppression": "c"})
        for name in ("value", "index", "growth_pct"):
            if row[name] != "":
                trace.mismatches.append(f"{name}: suppressed but published as {row[name]}")
        return
    _compare_growth(trace, row, cur, base, index, growth)


def _recompute_share(trace, row, per_year, year, baseline_year):
    cells = per_year[year]
    if row["indicator"] == "share_n_profiel":
        part = sums([c for c in cells if c.get("is_n_profiel")])
        rule = "numerator = pupils with an N-profiel (NT, NG, NT/NG); denominator = all leerjaar-4 pupils"
    else:
        part = sums([c for c in cells if c["gender"] == "VROUW"])
        rule = "numerator = women (VROUW); denominator = the whole counted population"
    whole = sums(cells)
    share = index_of(part["value"], whole["value"])
    trace.members["rule"] = trace.members.get("rule", "") + ("; " if trace.members.get("rule") else "") + rule
    trace.steps = [
        {"step": "numerator", "detail": f"numerator = {part['value']} ({rule})"},
        {"step": "denominator", "detail": f"denominator = sum of all {len(cells)} raw cells = {whole['value']}"},
        {"step": "share_pct", "detail": f"share_pct = 100 x {part['value']} / {whole['value']} = {fmt(share)} "
                                        "(1 decimal, half away from zero)"},
    ]
    for c in cells:
        c["in_numerator"] = bool(c.get("is_n_profiel")) if row["indicator"] == "share_n_profiel" else c["gender"] == "VROUW"
    _compare(trace, row, "numerator", part["value"])
    _compare(trace, row, "denominator", whole["value"])
    _compare(trace, row, "n_masked_cells", whole["n_masked_cells"])
    _compare(trace, row, "share_pct", share)


# --- output -------------------------------------------------------------------------------------------

CSV_FIELDS = ["role", "delivery_file", "delivery_date", "sha256", "line_number", "column_header", "raw_value",
              "how_read", "value", "sector", "measure", "year", "instellingscode", "institution", "gender",
              "cell_description"]


def write_outputs(trace: Trace, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = out_dir / "trace.json"
    payload.write_text(json.dumps(trace.to_json(), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    cells = out_dir / "raw_cells.csv"
    with cells.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS + ["in_numerator"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(escape_row(c) for c in trace.cells)  # no formula injection (csv_safety)
    text = out_dir / "trace.txt"
    text.write_text(render_text(trace), encoding="utf-8")
    return [payload, cells, text]


def render_text(trace: Trace, max_cells: int = 40) -> str:
    p = trace.publication
    lines = [
        f"{trace.mart} {', '.join(f'{k}={v}' for k, v in trace.keys.items())}: {trace.column} = {trace.published_value}",
        "",
        "Publication",
        f"  version {p['version']}  (as of {p['as_of']}, run {p['run_id']})",
        f"  code {p['code_version'].get('git_commit')}{' (with local changes)' if p['code_version'].get('git_dirty') else ''}",
        f"  quality gate {p['quality_gate'].get('suite')}: "
        f"{'passed' if p['quality_gate'].get('success') else 'FAILED'} "
        f"({p['quality_gate'].get('evaluated_expectations', '?')} expectations)",
        "",
        "How it was computed",
    ]
    lines += [f"  {s['step']}: {s.get('detail', '')}" + (f"  [{s['path']}]" if s.get("path") else "")
              for s in trace.steps]
    if trace.members:
        lines += ["", "Members and rule"]
        for k, v in trace.members.items():
            shown = v if not isinstance(v, list) or len(v) <= 12 else v[:12] + [f"... {len(v) - 12} more"]
            lines.append(f"  {k}: {shown}")
    lines += ["", "Inputs"]
    lines += [f"  {i['path']}  {i.get('date', '')}  sha256 {i['sha256'][:16]}…  {i['status']}" for i in trace.inputs]
    if trace.superseded:
        lines += ["", "Deliveries that also held the year but were superseded"]
        lines += [f"  {s['path']} ({s['date']}) for {s['year']}: {s['reason']}" for s in trace.superseded]
    if trace.not_counted:
        lines += ["", f"Rows left out by programme/diploma type ({len(trace.not_counted)} cells)"]
        lines += [f"  [{c['year']}] {c['delivery_file']}:{c['line_number']} {c['column_header']!r} {c['raw_value']!r}"
                  f"  ({c['instellingscode']} {c['opleidingscode'] or ''} {c['opleidingsnaam'] or ''}): {c['reason']}"
                  for c in trace.not_counted[:max_cells]]
    if trace.withdrawn:
        lines += ["", "Withdrawn deliveries (kept in the warehouse, not used)"]
        lines += [f"  {w['path']}: withdrawn by {w['decided_by']} at {w['decided_at']}: {w['reason']}"
                  for w in trace.withdrawn]
    lines += ["", f"Raw cells ({len(trace.cells)})"]
    for c in trace.cells[:max_cells]:
        lines.append(f"  [{c['role']}] {c['delivery_file']}:{c['line_number']} {c['column_header']!r} "
                     f"{c['how_read']}  ({c['instellingscode']} {c['cell_description']})")
    if len(trace.cells) > max_cells:
        lines.append(f"  ... {len(trace.cells) - max_cells} more (all in raw_cells.csv with --out DIR)")
    lines.append("")
    if trace.matches:
        lines.append(f"Recomputed from the raw cells: {trace.column} = {trace.recomputed.get(trace.column, '?')}: "
                     "matches the published value")
    else:
        lines.append("DOES NOT MATCH the published value / cannot be proved:")
        lines += [f"  - {m}" for m in trace.problems + trace.mismatches]
    return "\n".join(lines) + "\n"


def parse_where(text: str) -> dict:
    keys = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise TraceError(f"--where takes key=value pairs, got {part!r}")
        k, v = part.split("=", 1)
        if k.strip() in keys:  # `year=2007,year=2006` must not silently trace 2006
            raise TraceError(f"--where names {k.strip()!r} twice ({keys[k.strip()]!r} and {v.strip()!r}): give each key once")
        keys[k.strip()] = v.strip()
    return keys

