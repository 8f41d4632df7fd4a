"""Re-reading the members from the raw files with the pipeline's own reader, independently of the
warehouse: each cell's raw text, count and mask come from the file."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

import duckdb

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.deliveries import cells_at, reread_into, sha256_of_file
from pipelines.trace.model import Trace


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


class RereadFiles:
    """The delivery files this process has re-read, each file's cells in a table of one in-memory DuckDB,
    by path and content (sha256 of the bytes now on disk): tracing many figures (every row of a mart)
    reads each file once, and a file that changed on disk is read again. At most `max_files` are kept
    (least recently used go), so memory stays bounded whatever is traced."""

    def __init__(self, max_files: int = 8):
        self.max_files = max_files
        self.tables: OrderedDict[tuple[str, str], str] = OrderedDict()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.n_read = 0

    def cells(self, dataset: str, source: Path, display: str,
              wanted: list[tuple[int, str]]) -> dict[tuple[int, str], dict]:
        key = (str(source), sha256_of_file(source))
        table = self.tables.get(key)
        if table is None:
            self.con = self.con or duckdb.connect()
            self.n_read += 1
            table = f"reread_{self.n_read}"
            reread_into(self.con, DATASETS[dataset], source, display, table)
            self.tables[key] = table
            while len(self.tables) > self.max_files:
                _, old = self.tables.popitem(last=False)
                self.con.execute(f"drop table {old}")
        self.tables.move_to_end(key)
        return cells_at(self.con, table, wanted)


REREAD = RereadFiles()


def reread(deliveries: dict[str, dict], raw_dir: Path,
           wanted: dict[str, list[tuple[int, str]]]) -> dict[tuple[str, int, str], dict]:
    """Read the member cells of each delivery file again with the pipeline's reader:
    (file, line, column) -> cell. Only those cells are fetched from the re-read file."""
    out = {}
    for path, entry in deliveries.items():
        cells = REREAD.cells(entry["dataset"], raw_dir / path, path, wanted.get(path, []))
        out.update({(path, line, column): cell for (line, column), cell in cells.items()})
    return out


def read_members(trace: Trace, per_year: dict[int, list[dict]], winners: dict[int, list[dict]], raw_dir: Path) -> None:
    """Replace each member's raw text, count and mask by what its raw file holds, so the arithmetic
    rests on the files; a cell the file does not hold (dropped) or holds with another text is a
    mismatch. The cells go to the trace."""
    wanted: dict[str, list[tuple[int, str]]] = {}
    for cells in per_year.values():
        for c in cells:
            wanted.setdefault(c["delivery_file"], []).append((int(c["line_number"]), c["column_header"]))
    raw = reread({w["path"]: w for ws in winners.values() for w in ws}, raw_dir, wanted)
    for y, cells in per_year.items():
        kept = []
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
            kept.append(c)
        per_year[y] = kept
        trace.cells.extend(kept)
