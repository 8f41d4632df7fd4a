"""Safe when killed: `kill -9` a `betamonitor run` subprocess at several points (the pause hook in
pipelines/runs/pause.py stops it there), then the publication is consistent, the warehouse opens,
and the next run recovers on its own and publishes the same bytes as an uninterrupted run.
Also: a full disk and a read-only publish directory fail clearly with nothing half-written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipelines.marts import MARTS
from tests.conftest import write_small_raw, write_wide
from tests.e2e.test_nightly_job import run, tree_digest

REPO = Path(__file__).resolve().parents[2]
POINTS = ["ingest", "dbt", "gate_publish", "publish_staged", "publish_renamed"]


@pytest.fixture
def uninterrupted(small_run) -> Path:
    """One good run on the small data (tests/e2e/conftest.py, shared: read only, copy to change)."""
    return small_run


def cli_args(work: Path) -> list[str]:
    return ["run", "--raw-dir", str(work / "raw"), "--publish-dir", str(work / "published"),
            "--warehouse", str(work / "state" / "warehouse.duckdb")]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_publication_consistent(publish_dir: Path) -> None:
    """catalog.json parses and points only at complete versions; every visible version folder is complete."""
    def complete(version_dir: Path) -> None:
        meta = json.loads((version_dir / "metadata.json").read_text(encoding="utf-8"))
        assert (version_dir / "validation.json").is_file()
        for name in ("data.csv", "data.parquet"):
            assert sha(version_dir / name) == meta["files"][name], version_dir

    if (publish_dir / "catalog.json").exists():
        catalog = json.loads((publish_dir / "catalog.json").read_text(encoding="utf-8"))
        for mart, entry in catalog["marts"].items():
            complete(publish_dir / mart / entry["version"])
    if publish_dir.is_dir():
        # mart folders only: site/ (the publication site, pipelines/publishing/site.py) is not a mart
        for mart_dir in (p for p in publish_dir.iterdir() if p.is_dir() and p.name in MARTS):
            for version_dir in (p for p in mart_dir.iterdir() if not p.name.startswith(".")):
                complete(version_dir)


def assert_warehouse_opens(warehouse: Path, wait: float = 300) -> None:
    """A killed run's dbt subprocess may outlive it for a while and hold DuckDB's file lock."""
    deadline = time.monotonic() + wait
    while True:
        try:
            duckdb.connect(str(warehouse), read_only=True).close()
            return
        except duckdb.IOException:
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def assert_killed_run_marked_failed(work: Path) -> None:
    """The killed run no longer counts as in progress (it would block the instance's run queue)."""
    import dagster as dg

    from orchestration.report import load_reports

    [recovery, *_] = load_reports(work / "state")
    [dead] = recovery["dead_runs_marked_failed"]
    instance = dg.DagsterInstance.from_config(str(work / "state" / "dagster_home"))
    try:
        statuses = {r.run_id: r.status for r in instance.get_runs()}
    finally:
        instance.dispose()
    assert statuses == {dead: dg.DagsterRunStatus.FAILURE, recovery["run_id"]: dg.DagsterRunStatus.SUCCESS}


def run_and_kill_at(work: Path, point: str) -> None:
    marker = work / "paused"
    env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
    env.update(BETAMONITOR_TEST_PAUSE_AT=point, BETAMONITOR_TEST_PAUSE_MARKER=str(marker),
               BETAMONITOR_LOG_LEVEL="WARNING")
    with (work / "killed_run.log").open("w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "orchestration.cli", *cli_args(work)], cwd=REPO, env=env,
                                stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 600
            while not marker.exists():
                assert proc.poll() is None, f"run ended before {point}: {(work / 'killed_run.log').read_text()}"
                assert time.monotonic() < deadline, f"run did not reach {point}"
                time.sleep(0.2)
            assert marker.read_text().split() == [str(proc.pid), point]
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.parametrize("point", POINTS)
def test_killed_run_leaves_a_consistent_state_and_the_next_run_recovers(point, uninterrupted, tmp_path):
    work = tmp_path / "work"
    write_small_raw(work / "raw")
    run_and_kill_at(work, point)

    assert_publication_consistent(work / "published")
    assert_warehouse_opens(work / "state" / "warehouse.duckdb")
    if point.startswith("publish"):  # it was killed inside the publisher: a temporary or an unpointed version
        mart_dirs = [p for p in (work / "published").iterdir() if p.is_dir()]
        assert any(p.name.startswith(".tmp-") for d in mart_dirs for p in d.iterdir()) == (point == "publish_staged")

    assert run(work / "raw", work) == 0  # recovers on its own
    assert_publication_consistent(work / "published")
    assert_killed_run_marked_failed(work)
    expected = json.loads((uninterrupted / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]
    catalog = json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]
    assert {m: e["version"] for m, e in catalog.items()} == {m: e["version"] for m, e in expected.items()}
    for mart, entry in expected.items():
        for key in ("csv", "parquet"):
            assert (work / "published" / entry[key]).read_bytes() == \
                (uninterrupted / "published" / entry[key]).read_bytes(), (mart, key)
    leftovers = [p for p in (work / "published").rglob(".*")]
    assert leftovers == []


def with_new_delivery(uninterrupted: Path, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(uninterrupted, work)
    write_wide(work / "raw" / "duo" / "ho_gediplomeerden" / "2005-03-15_gediplomeerden_ho.csv", [2003], {
        ("hbo", "50001"): [("90", "9")], ("wo", "50001"): [("340", "120")]})
    return work


def test_full_disk_fails_clearly_and_writes_nothing(uninterrupted, tmp_path, monkeypatch, capsys):
    import pipelines.publishing.publisher as publisher

    work = with_new_delivery(uninterrupted, tmp_path)
    before = tree_digest(work / "published")

    def full_disk(path, payload):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(publisher, "_write_json", full_disk)
    assert run(work / "raw", work) == 1
    out = capsys.readouterr().out
    assert "cannot publish" in out and "No space left on device" in out
    assert tree_digest(work / "published") == before  # no new version, no temporary, catalog as it was
    assert not list((work / "published").rglob(".tmp-*"))
    assert_publication_consistent(work / "published")


def test_read_only_publish_directory_fails_clearly_and_writes_nothing(uninterrupted, tmp_path):
    work = with_new_delivery(uninterrupted, tmp_path)
    before = tree_digest(work / "published")
    dirs = [work / "published", *(p for p in (work / "published").rglob("*") if p.is_dir())]
    # Root ignores permission bits; drop the capabilities that let it (setpriv, util-linux).
    prefix = []
    if os.geteuid() == 0:
        caps = "-dac_override,-dac_read_search,-fowner"
        prefix = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
    for d in dirs:
        d.chmod(0o555)
    try:
        env = {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}
        result = subprocess.run([*prefix, sys.executable, "-m", "orchestration.cli", *cli_args(work)], cwd=REPO,
                                env={**env, "BETAMONITOR_LOG_LEVEL": "WARNING"}, capture_output=True, text=True)
    finally:
        for d in dirs:
            d.chmod(0o755)
    assert result.returncode == 1, result.stdout + result.stderr
    # Found before the job starts (orchestration/preflight.py): one line, nothing built or written.
    assert result.stdout.strip() == (f"betamonitor run: not started: the publish directory {work / 'published'} "
                                     f"is not writable ({work / 'published'}: Permission denied)")
    assert tree_digest(work / "published") == before
    assert_publication_consistent(work / "published")
