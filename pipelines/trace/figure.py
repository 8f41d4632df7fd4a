"""`trace_figure`: one published row -> its members (int_figure_members) -> the deliveries its version
recorded -> the raw cells re-read -> the figure recomputed and compared."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from pipelines.dbt_settings import sector_parts
from pipelines.trace.members import (MEMBERS_MODEL, MEMBERS_PATH, figure_members, institutions_of,
                                     not_counted_by_type, participants, program_list, recorded_population,
                                     withdrawn)
from pipelines.trace.model import TRACEABLE, Trace, TraceError
from pipelines.trace.publication import Inputs, find_row, load_publication, model_chain
from pipelines.trace.raw import read_members
from pipelines.trace.recompute import RECOMPUTE


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
        _trace(con, trace, row, metadata["grain"], inputs, rows)
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


def _trace(con, trace: Trace, row: dict, grain: list[str], inputs: Inputs, rows: list[dict]) -> None:
    mart = trace.mart
    year = int(row["year"])
    baseline_year = int(row.get("baseline_year") or 0) or None
    members = figure_members(con, mart, grain, row)
    if not any(m["year"] == year for m in members):
        raise TraceError(f"{MEMBERS_MODEL} lists no members of this figure in {year}: is the warehouse "
                         "the one the publication was built in?")
    per_year, winners = recorded_population(trace, members, inputs)
    datasets = sorted({m["dataset"] for m in members if m["year"] == year})
    trace.withdrawn = withdrawn(con, datasets)
    if any(d.startswith("ho_") for d in datasets):
        inputs.current("reference", "reference/croho_classification")
        for y, cells in per_year.items():
            sectors = sorted({c["sector"] for c in cells})
            for w in winners[y]:
                for c in not_counted_by_type(con, sectors=sectors, measure=row["measure"], year=y, delivery=w["path"]):
                    trace.not_counted.append({**c, "year": y})
    if any(w["status"] != "ok" for ws in winners.values() for w in ws):
        trace.steps = [{"step": "inputs", "detail": "an input the figure needs is gone or changed: not recomputed"}]
        return

    _describe_members(con, trace, row, per_year, year, baseline_year, inputs)
    if mart == "regional_growth":
        _describe_provinces(con, trace, row, per_year, inputs, rows)
    read_members(trace, per_year, winners, inputs.raw_dir)
    RECOMPUTE[mart](trace, row, per_year, year, baseline_year)
    numbers = _model_numbers(con, trace, row, winners, per_year, year, baseline_year)
    trace.steps = [
        *trace.steps,
        {"step": f"model {MEMBERS_MODEL.split('.')[1]}", "path": MEMBERS_PATH,
         "detail": "the figure's members (the cells the mart counts, keyed by its grain), per delivery -> "
                   + ", ".join(f"{len(cells)} cells in {y}" for y, cells in per_year.items())},
        *({"step": f"model {m['model']}", "path": m["path"],
           "detail": m["description"] + (f" -> {numbers[m['model']]}" if m["model"] in numbers else "")}
          for m in model_chain(mart))]


def _describe_members(con, trace: Trace, row: dict, per_year: dict, year: int, baseline_year: int | None,
                      inputs: Inputs) -> None:
    """Who the members are and by which rule; a group's definition is checked against the members."""
    sector = row["sector"]
    if trace.mart == "institution_growth":
        inputs.current("reference", "reference/institutions")
        trace.members = {"institution": row["instellingscode"], "rule": "mergers: all codes that end in this "
                         "surviving code (reference/institutions.csv opgegaan_in) count as this institution"}
    elif trace.mart == "program_growth":
        inputs.current("programs")
        group = institutions_of(per_year.get(year, []))
        programs = program_list(con, row["program"], sector)
        trace.members = {"programs": programs, "year": year,
                         "participation": row["participation"], "institutions": group, "n_institutions": len(group),
                         "rule": f"institutions of {sector} with data in both {baseline_year} and {year}; "
                                 f"participants take part in {' or '.join(programs)} "
                                 f"in {year} (vanaf <= year <= tot_en_met); the same institutions in both years"}
        if baseline_year != year and institutions_of(per_year.get(baseline_year, [])) != group:
            trace.mismatches.append(f"the institutions counted in {baseline_year} are not those counted in {year}")
    elif trace.mart == "gender_shares" and row["school_group"] != "all schools":
        inputs.current("programs")
        programs = program_list(con, row["school_group"].removesuffix(" participants"), sector)
        group = participants(con, programs, year)
        trace.members = {"school_group": row["school_group"], "programs": programs, "institutions": group,
                         "rule": f"schools taking part in {' or '.join(programs)} in {year}"}
        outside = sorted(set(institutions_of(per_year.get(year, []))) - set(group))
        if outside:
            trace.mismatches.append(f"cells of schools outside the school group: {', '.join(outside[:5])}")


PROVINCE_RULE = ("a cell's province is its row's own PROVINCIE column, else its municipality's (GEMEENTENUMMER, "
                 "else GEMEENTENAAM, through reference/gemeenten.csv and its mergers to the 2025 division), else "
                 "its institution's (reference/institutions.csv, the code or the code it merged into), else "
                 "onbekend (int_classified_cells)")


def _describe_provinces(con, trace: Trace, row: dict, per_year: dict, inputs: Inputs, rows: list[dict]) -> None:
    """regional_growth: where each cell's province came from; an aggregate sector's parts as published
    (an aggregate is suppressed with its parts); whether the sector's series has its baseline year (as
    the mart asks int_sector_values: without it, values are published without index)."""
    cells = [c for cs in per_year.values() for c in cs]
    sources = Counter(c["province_source"] for c in cells)
    if sources["institution"]:
        inputs.current("reference", "reference/institutions")
    resolutions = Counter(c["province_resolution"] for c in cells)
    trace.members = {"provincie": row["provincie"], "provincie_code": row["provincie_code"], "rule": PROVINCE_RULE,
                     "province_sources": ", ".join(f"{s}: {n} cells" for s, n in sorted(sources.items())),
                     "province_resolutions": [f"{r} ({n} cells)" for r, n in sorted(resolutions.items())]}
    if sources["municipality"] and not inputs.current("reference", "reference/gemeenten"):
        trace.members["municipalities"] = ("reference/gemeenten.csv is not among this version's recorded inputs: "
                                           "its sha256 is not checked")
    elsewhere = sorted({c["provincie"] for c in cells} - {row["provincie"]})
    if elsewhere:
        trace.mismatches.append(f"cells of another province among the members: {', '.join(elsewhere)}")
    baseline_year = int(row["baseline_year"])
    if not con.execute("select count(*) from intermediate.int_sector_values where sector = ? and measure = ? "
                       "and year = ?", [row["sector"], row["measure"], baseline_year]).fetchall()[0][0]:
        trace.members["baseline"] = (f"the {row['sector']} {row['measure']} series has no data in {baseline_year}: "
                                     "values are published without index, and no baseline rule applies")
    parts = sector_parts().get(row["sector"])
    if parts:
        published = {r["sector"]: r for r in rows if r["sector"] in parts and r["measure"] == row["measure"]
                     and r["provincie"] == row["provincie"] and r["year"] == row["year"]}
        trace.members["parts"] = {p: ("no figure" if p not in published else
                                      f"suppressed ({published[p]['suppression_reason']})"
                                      if published[p]["suppression"] == "c" else "published") for p in parts}


def _model_numbers(con, trace: Trace, row: dict, winners: dict, per_year: dict, year: int,
                   baseline_year: int | None) -> dict[str, str]:
    """This figure's own numbers at the dbt models it passed through (read from the warehouse)."""
    numbers: dict[str, str] = {}
    picks = []
    for y, ws in sorted(winners.items()):
        for w in ws:
            provisional = con.execute("select any_value(is_provisional) from intermediate.int_delivery_years "
                                      "where dataset = ? and delivery_file = ? and year = ?",
                                      [w["dataset"], w["path"], y]).fetchall()[0][0]
            picks.append(f"{y}: {w['path']}{' (provisional)' if provisional else ''}")
    numbers["int_delivery_years"] = "winning delivery " + "; ".join(picks)
    counted = ", ".join(f"{len(cells)} cells in {y}" for y, cells in sorted(per_year.items()))
    numbers["int_classified_cells"] = numbers["int_counted_cells"] = counted
    if trace.mart == "sector_growth":
        found = _values_at(con, "int_sector_values", {k: row[k] for k in ("sector", "measure")},
                           {year, baseline_year} - {None})
        if found:
            numbers["int_sector_values"] = found
    if trace.mart == "regional_growth" and row["suppression"] != "c":  # a suppressed figure is not shown
        numbers["int_regional_values"] = _values_at(con, "int_regional_values",
                                                    {k: row[k] for k in ("sector", "measure", "provincie")},
                                                    sorted({year, baseline_year or year}, reverse=True))
    numbers[trace.mart] = f"published row: {trace.column} = {row[trace.column] or 'empty'}"
    return numbers


def _values_at(con, model: str, keys: dict, years) -> str:
    """An intermediate model's value and bounds for this figure's keys, in each of `years` (in that order)
    that it has a row for: `2007: value 12056.0 (low 12056, high 12056); 2000: ...`."""
    where = " and ".join(f"{k} = ?" for k in keys)
    found = []
    for y in years:
        found += [f"{y}: value {v} (low {lo}, high {hi})" for v, lo, hi in con.execute(
            f"select value, value_low, value_high from intermediate.{model} where {where} and year = ?",
            [*keys.values(), y]).fetchall()]
    return "; ".join(found)
