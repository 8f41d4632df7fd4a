"""Re-reading the members from the raw files with the pipeline's own reader, independently of the
warehouse: each cell's raw text, count and mask come from the file."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.deliveries import read_delivery
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


def read_members(trace: Trace, per_year: dict[int, list[dict]], winners: dict[int, list[dict]], raw_dir: Path) -> None:
    """Replace each member's raw text, count and mask by what its raw file holds, so the arithmetic
    rests on the files; a cell the file does not hold (dropped) or holds with another text is a
    mismatch. The cells go to the trace."""
    raw = reread({w["path"]: w for ws in winners.values() for w in ws}, raw_dir)
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
