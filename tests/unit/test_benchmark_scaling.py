"""benchmarks/scaling.py: the scaled sample keeps every reference file whole, so a scaled run is the
sample's run N times over (issue 20's optional provincie column once broke `make benchmark` here)."""

import csv
from pathlib import Path

from benchmarks.scaling import scale_raw
from pipelines.paths import DEFAULT_RAW_DIR as RAW


def semicolon_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def test_scaled_institutions_keep_every_column_and_their_province(tmp_path):
    scale_raw(RAW, tmp_path / "raw", 2)
    original = semicolon_rows(RAW / "reference" / "institutions.csv")
    scaled = semicolon_rows(tmp_path / "raw" / "reference" / "institutions.csv")
    header, rows = scaled[0], scaled[1:]
    assert header == original[0] and "provincie" in header
    assert len(rows) == 2 * (len(original) - 1)
    assert all(len(r) == len(header) for r in rows)
    assert len({r[0] for r in rows}) == len(rows)
    provincie = header.index("provincie")
    copies = [r for r in rows if r[0][0].isalpha()]  # copy k >= 1: codes that start with a letter
    assert sorted(r[provincie] for r in copies) == sorted(r[provincie] for r in original[1:])
