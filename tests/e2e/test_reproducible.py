"""Same inputs, code and as-of date -> byte-identical publication: the real job (`betamonitor run`) twice,
into two fresh directories, on the same small raw directory (every mart published, audits included).

Every file under both publish directories is compared byte for byte: catalog.json, the version
folders (data.csv, data.parquet, metadata.json, validation.json, datapackage.json), the stable paths
(latest/, datapackage.json) and the whole site. The run id that
metadata.json and the catalog name (the contract asks for it) is reproducible: derived from what the
run computes and from how many runs of that this instance has had (orchestration/nightly.py). A
forced re-run in the same directory (a copy of a/, publication and state: the two fresh runs are the
session's `edge_runs`, tests/e2e/conftest.py) gets its own run id and leaves every published file as it was."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.report import load_reports
from pipelines.marts import MARTS

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def run_id(work: Path) -> str:
    """The run id of the one run in `work`'s state (from its report)."""
    (report,) = load_reports(work / "state")
    return report["run_id"]


@pytest.fixture
def two_fresh_runs(edge_runs) -> tuple[tuple[Path, str], tuple[Path, str]]:
    """Two fresh runs into a/ and b/ on the same raw directory (`edge_runs`, tests/e2e/conftest.py,
    shared with test_marts_edge_cases.py: read only)."""
    return tuple((edge_runs / name / "published", run_id(edge_runs / name)) for name in ("a", "b"))


def test_two_fresh_runs_publish_byte_identical_files(two_fresh_runs):
    (a, run_a), (b, run_b) = two_fresh_runs
    assert run_a == run_b and UUID.fullmatch(run_a.encode())
    files_a, files_b = files_of(a), files_of(b)
    assert sorted(files_a) == sorted(files_b)
    # every mart was published; latest/ and datapackage.json are compared like every other file
    assert {p.split("/")[0] for p in files_a} == {"catalog.json", "datapackage.json", "latest", "site", *MARTS}
    assert {p for p in files_a if p.startswith("latest/")} == {f"latest/{m}.{e}" for m in MARTS for e in ("csv", "parquet")}
    different = sorted(p for p in files_a if files_a[p] != files_b[p])
    assert different == [], different
    catalog = json.loads(files_a["catalog.json"])
    for mart, entry in catalog["marts"].items():
        assert entry["published_by"] == {entry["version"]: {"run_id": run_a}} == {entry["version"]: entry["current_since"]}
        meta = json.loads(files_a[entry["metadata"]])
        assert meta["run"] == {"run_id": run_a}, mart


def test_no_other_run_dependent_value_is_published(two_fresh_runs):
    """No uuid but the run id, and no time of the run, in a version folder or a site page."""
    for publish_dir, run_id in two_fresh_runs:
        for path, content in files_of(publish_dir).items():
            if path.startswith("site/static/"):
                continue
            assert {m.group() for m in UUID.finditer(content)} <= {run_id.encode()}, path
        for mart in MARTS:
            (version_dir,) = (publish_dir / mart).iterdir()
            meta = json.loads((version_dir / "metadata.json").read_text(encoding="utf-8"))
            validation = json.loads((version_dir / "validation.json").read_text(encoding="utf-8"))
            assert validation["meta"]["validation_time"] == meta["as_of"]
            assert validation["statistics"]["evaluated_expectations"] == meta["quality_gate"]["evaluated_expectations"]
            assert "betamonitor_normalised" in validation["meta"]


def test_a_forced_rerun_has_its_own_run_id_and_changes_no_published_file(two_fresh_runs, tmp_path):
    (shared_a, run_a), _ = two_fresh_runs
    work = tmp_path / "a"  # run a's directory (publication and state), copied: the fresh runs are shared
    shutil.copytree(shared_a.parent, work)
    a = work / "published"
    before = files_of(a)
    assert before == files_of(shared_a)
    assert main(["run", "--raw-dir", str(shared_a.parent.parent / "raw"), "--publish-dir", str(a),
                 "--warehouse", str(work / "state" / "warehouse.duckdb"), "--force"]) == 0
    reports = load_reports(work / "state")
    assert len({r["run_id"] for r in reports}) == 2 and run_a in {r["run_id"] for r in reports}
    assert files_of(a) == before
