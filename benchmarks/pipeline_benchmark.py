"""Benchmark: the nightly job on the shipped sample scaled up N times (more institutions).

Prints wall time per phase and peak memory; not a test (timings on a shared machine are noisy).

    .venv/bin/python benchmarks/pipeline_benchmark.py --scale 20
"""

from __future__ import annotations

import argparse
import resource
import shutil
import string
import tempfile
import time
from pathlib import Path

from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.normalise import canonical_header
from pipelines.paths import REPO_ROOT

ALPHABET = string.digits + string.ascii_uppercase


def scaled_code(code: str, k: int) -> str:
    """A distinct 4-character institution code per copy k (k = 0 keeps the original)."""
    return code if k == 0 else ALPHABET[k // 36 % 36] + ALPHABET[k % 36] + code[2:]


def scale_raw(source: Path, target: Path, scale: int) -> int:
    """Copy raw/ with every duo data line repeated `scale` times under other institution codes."""
    shutil.copytree(source, target)
    lines_written = 0
    for path in sorted((target / "duo").rglob("*.csv")):
        data = path.read_bytes()
        encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp1252"
        text = data.decode(encoding)
        newline = "\r\n" if "\r\n" in text else "\n"
        header, *rows = text.split(newline)
        delimiter = "," if header.count(",") > header.count(";") else ";"
        columns = [canonical_header(c.strip('"')) for c in header.split(delimiter)]
        spec = DATASETS[path.parent.name]
        code_header = next(h for h, col in spec.dimensions.items() if col == spec.institution_column)
        inst = columns.index(code_header)
        data_rows = [r for r in rows if r.count(delimiter) == len(columns) - 1]
        footer = [r for r in rows if r.count(delimiter) != len(columns) - 1]
        out = [header]
        for k in range(scale):
            for row in data_rows:
                fields = row.split(delimiter)
                original = fields[inst].strip('"')
                code = scaled_code(original, k)
                # The code also prefixes vestigingsnummers (`12AB01`): rename it everywhere it starts a field.
                fields = [f.replace(original, code, 1) if f.strip('"').startswith(original) else f for f in fields]
                out.append(delimiter.join(fields))
        lines_written += len(out) - 1
        payload = newline.join(out + footer).encode("utf-8" if encoding == "utf-8-sig" else "cp1252")
        path.write_bytes((b"\xef\xbb\xbf" if encoding == "utf-8-sig" else b"") + payload)
    return lines_written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="copies of every institution (default 20)")
    args = parser.parse_args()

    import duckdb

    from pipelines.cli import run_job
    from pipelines.ingest.deliveries import ingest_dataset

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        raw = work / "raw"
        lines = scale_raw(REPO_ROOT / "raw", raw, args.scale)
        size_mb = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 1e6

        con = duckdb.connect(str(work / "ingest_only.duckdb"))
        start = time.perf_counter()
        cells = 0
        for dataset in DATASETS:
            ingest_dataset(con, raw, dataset, "benchmark")
            cells += con.execute(f"select count(*) from landing.{dataset}").fetchone()[0]
        ingest_s = time.perf_counter() - start
        con.close()

        start = time.perf_counter()
        summary = run_job(raw, work / "published", work / "warehouse.duckdb")
        job_s = time.perf_counter() - start
        start = time.perf_counter()
        rerun = run_job(raw, work / "published", work / "warehouse.duckdb")
        rerun_s = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"scale                      {args.scale}x institutions")
    print(f"raw input                  {lines:,} data lines, {size_mb:.1f} MB")
    print(f"ingest (parse+validate)    {ingest_s:6.1f} s  ({cells:,} cells, {cells / ingest_s:,.0f} cells/s)")
    print(f"full job, first run        {job_s:6.1f} s  -> {summary.line()}")
    print(f"full job, re-run           {rerun_s:6.1f} s  (deliveries already landed) -> exit {rerun.exit_code}")
    print(f"peak RSS of this process   {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
