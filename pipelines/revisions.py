"""The revision check as a publication gate (issue #10).

`intermediate.int_delivery_revisions` (dbt, SQL over the landing tables) compares every restated
year with the delivery that held it before; this module reads the restatements that block (over a
threshold of `dbt_project.yml`, winning, not accepted), describes them for the run summary and
writes them as a report CSV. Remedies: `betamonitor accept DELIVERY --reason …` (a genuine
revision) or `betamonitor withdraw DELIVERY --reason …` (a bad delivery).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from pipelines.dbt_settings import dbt_vars
from pipelines.publishing.csv_safety import escape_row
from pipelines.warehouse import rows_as_dicts

QUERY = """
    select dataset, delivery_file, earlier_delivery_file, year, earlier_total, restated_total, total_change,
           earlier_rows, missing_rows, missing_share, biggest_differences
    from intermediate.int_delivery_revisions
    where blocks
    order by delivery_file, year
"""


def thresholds() -> dict:
    v = dbt_vars()
    return {"max_total_change": float(v["revision_max_total_change"]),
            "max_missing_rows": float(v["revision_max_missing_rows"])}


def blocking_revisions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return rows_as_dicts(con, QUERY)


def pct_text(x) -> str:
    """A relative change as text: 0.039 -> +3.9%."""
    return "n/a" if x is None else f"{100 * float(x):+.1f}%"


def number_text(x, missing: str = "n/a") -> str:
    """A count or figure as DUO and the marts give it: 21608.0 -> 21608, 2.5 stays 2.5."""
    if x is None:
        return missing
    x = float(x)
    return str(int(x)) if x.is_integer() else f"{x:g}"


def _years(years: list[int]) -> str:
    years = sorted(years)
    if len(years) > 2 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def describe(rows: list[dict], short: bool = False) -> str:
    """Per blocking delivery: years, total change, rows missing, biggest differences (short: the worst year,
    one line per delivery, ' | '-joined; the run summary gives each delivery's line once)."""
    if short:
        out = []
        by: dict[str, list[dict]] = {}
        for r in rows:
            by.setdefault(r["delivery_file"], []).append(r)
        for delivery, years in by.items():
            worst = max(years, key=lambda r: (abs(float(r["total_change"] or 0)), r["missing_rows"]))
            top = (worst["biggest_differences"] or [{}])[0]
            out.append(f"revision check: {delivery} restates {_years([r['year'] for r in years])} of "
                       f"{worst['earlier_delivery_file']} beyond the thresholds: {worst['year']} total "
                       f"{number_text(worst['earlier_total'])} -> {number_text(worst['restated_total'])} "
                       f"({pct_text(worst['total_change'])}), {worst['missing_rows']} of {worst['earlier_rows']} rows missing"
                       + (f"; biggest difference {top['row']}: {number_text(top['earlier'])} -> {number_text(top['restated'])}"
                          if top else "")
                       + "; accept or withdraw it")
        return " | ".join(out)
    parts = []
    by_delivery: dict[str, list[dict]] = {}
    for r in rows:
        by_delivery.setdefault(r["delivery_file"], []).append(r)
    t = thresholds()
    for delivery, years in by_delivery.items():
        worst = max(years, key=lambda r: abs(float(r["total_change"] or 0)))
        biggest = "; ".join(f"{d['row']}: {d['earlier']} -> {d['restated']}"
                            for d in (worst["biggest_differences"] or [])[:3])
        parts.append(
            f"revision check: {delivery} restates {', '.join(str(r['year']) for r in years)} of "
            f"{years[0]['earlier_delivery_file']} beyond the thresholds (total > {100 * t['max_total_change']:g}% or "
            f"> {100 * t['max_missing_rows']:g}% rows missing): "
            + ", ".join(f"{r['year']} total {r['earlier_total']} -> {r['restated_total']} ({pct_text(r['total_change'])}), "
                        f"{r['missing_rows']} of {r['earlier_rows']} rows missing" for r in years[:4])
            + (f", … ({len(years)} years)" if len(years) > 4 else "")
            + (f"; biggest differences {worst['year']}: {biggest}" if biggest else "")
            + f"; accept it (`betamonitor accept {delivery} --reason …`) or withdraw it (`betamonitor withdraw`)")
    return " | ".join(parts)


def write_report(path: Path, rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = ["dataset", "delivery_file", "earlier_delivery_file", "year", "earlier_total", "restated_total",
              "total_change", "earlier_rows", "missing_rows", "missing_share", "biggest_differences"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for r in rows:
            diffs = "; ".join(f"{d['row']}: {d['earlier']} -> {d['restated']}" for d in r["biggest_differences"] or [])
            writer.writerow(escape_row({**{k: r[k] for k in fields}, "biggest_differences": diffs}))
    return path
