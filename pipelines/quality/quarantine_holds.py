"""Which published figures each quarantined cell holds back (contract 11.6), as a report.

`intermediate.int_quarantined_cells` lists every quarantined cell of the deliveries in use and
`intermediate.int_quarantine_holds` the sector_growth figures (sector, measure, year) each one could
count toward; the gates block on those. After dbt has built them, the run writes
`state/reports/<run_id>/quarantine_holds.csv`: one row per quarantined cell with the figures it holds
back, or why it holds back nothing (a value that cannot count, or a superseded delivery).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from pipelines.publishing.csv_safety import escape_row
from pipelines.warehouse import rows_as_dicts

COLUMNS = ["dataset", "delivery_file", "line_number", "column_header", "raw_value", "reason", "holds_back"]

QUERY = """
    select q.dataset, q.delivery_file, q.line_number, q.column_header, q.raw_value,
           q.quarantine_reason as reason,
           case
               when count(h.sector) > 0 then
                   string_agg(h.sector || ' ' || h.measure || ' ' || h.year, '; '
                              order by h.sector, h.measure, h.year)
               when q.counts_nowhere then 'nothing: it states a value that does not count under any reading'
               else 'nothing: its delivery does not win its year (or no published figure uses it)'
           end as holds_back
    from intermediate.int_quarantined_cells as q
    left join intermediate.int_quarantine_holds as h  -- one row per cell and figure (the model is distinct)
        on h.delivery_file = q.delivery_file and h.line_number is not distinct from q.line_number
       and h.column_header is not distinct from q.column_header
    group by q.dataset, q.delivery_file, q.line_number, q.column_header, q.raw_value, q.quarantine_reason,
             q.counts_nowhere
    order by q.dataset, q.delivery_file, q.line_number, q.column_header
"""


def quarantine_holds(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every quarantined cell in use, with the figures it holds back (or why none)."""
    return rows_as_dicts(con, QUERY)


def write_quarantine_holds(con: duckdb.DuckDBPyConnection, path: Path) -> tuple[int, int]:
    """Write the report; returns (cells quarantined, cells that hold back a figure)."""
    rows = quarantine_holds(con)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(escape_row(row) for row in rows)  # no formula injection in the report
    return len(rows), sum(1 for r in rows if not str(r["holds_back"]).startswith("nothing"))
