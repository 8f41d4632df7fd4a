"""Same inputs, code and as-of date -> byte-identical publication: the real job (`betamonitor run`) twice,
into two fresh directories, on the same small raw directory (every mart published, audits included).

Every file under both publish directories is compared: the version folders (data.csv, data.parquet,
metadata.json, validation.json) and the whole site must be equal byte for byte. The one mutable file
is catalog.json, which records which run made each version current (`published_by`, `current_since`):
without those two fields the catalogs are equal too, and each names its own run."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.report import load_reports
from pipelines.marts import MARTS
from tests.e2e._edge_raw import write_edge_raw

RUN_FIELDS = ("published_by", "current_since")  # the catalog's per-run record
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def fresh_run(raw: Path, work: Path) -> str:
    """One `betamonitor run` into a fresh publish dir and warehouse; returns its run id (from its report)."""
    assert main(["run", "--raw-dir", str(raw), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb")]) == 0
    (report,) = load_reports(work / "state")
    return report["run_id"]


def without_runs(catalog: dict) -> dict:
    return {**catalog, "marts": {m: {k: v for k, v in e.items() if k not in RUN_FIELDS}
                                 for m, e in catalog["marts"].items()}}


@pytest.fixture(scope="module")
def two_fresh_runs(tmp_path_factory) -> tuple[tuple[Path, str], tuple[Path, str]]:
    root = tmp_path_factory.mktemp("reproducible")
    raw = write_edge_raw(root / "raw")
    return tuple((root / name / "published", fresh_run(raw, root / name)) for name in ("a", "b"))


def test_two_fresh_runs_publish_byte_identical_files(two_fresh_runs):
    (a, run_a), (b, run_b) = two_fresh_runs
    assert run_a != run_b
    files_a, files_b = files_of(a), files_of(b)
    assert sorted(files_a) == sorted(files_b)
    assert {p.split("/")[0] for p in files_a} == {"catalog.json", "site", *MARTS}  # every mart was published
    different = sorted(p for p in files_a if files_a[p] != files_b[p])
    assert different == ["catalog.json"], different
    catalog_a, catalog_b = (json.loads(files[("catalog.json")]) for files in (files_a, files_b))
    assert without_runs(catalog_a) == without_runs(catalog_b)
    for catalog, run_id in ((catalog_a, run_a), (catalog_b, run_b)):
        for mart, entry in catalog["marts"].items():
            assert entry["published_by"] == {entry["version"]: entry["current_since"]}, mart
            assert entry["current_since"]["run_id"] == run_id, mart


def test_only_the_catalog_names_a_run(two_fresh_runs):
    """No run id, uuid or time of the run in a version folder or a site page."""
    for publish_dir, run_id in two_fresh_runs:
        for path, content in files_of(publish_dir).items():
            if path == "catalog.json" or path.startswith("site/static/"):
                continue
            assert run_id.encode() not in content and run_id[:8].encode() not in content, path
            assert not UUID.search(content), (path, UUID.search(content))
        for mart in MARTS:
            (version_dir,) = (publish_dir / mart).iterdir()
            meta = json.loads((version_dir / "metadata.json").read_text(encoding="utf-8"))
            assert meta["run"]["run_id"] is None
            validation = json.loads((version_dir / "validation.json").read_text(encoding="utf-8"))
            assert validation["meta"]["validation_time"] == meta["as_of"]
            assert validation["statistics"]["evaluated_expectations"] == meta["quality_gate"]["evaluated_expectations"]
            assert "betamonitor_normalised" in validation["meta"]
