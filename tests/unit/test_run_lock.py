"""The warehouse lock (one run at a time), the no-change fingerprint and the instance's run queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipelines.runs import fingerprint as fp
from orchestration.instance import RUN_TAG_KEY, RUN_TAG_VALUE, instance_home, prepare_home
from pipelines.settings import RunSettings
from pipelines.runs.lock import WarehouseBusy, holder, lock_timeout_from_env, warehouse_lock

HOLD = """
import sys, time
from pipelines.runs.lock import warehouse_lock
with warehouse_lock(sys.argv[1], 5, run_id="holder-run"):
    print("held", flush=True)
    time.sleep(600)
"""


def hold_lock(warehouse: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(warehouse)], stdout=subprocess.PIPE, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_holder_waits_then_names_the_first(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    proc = hold_lock(warehouse)
    try:
        started = time.monotonic()
        with pytest.raises(WarehouseBusy) as busy:
            with warehouse_lock(warehouse, timeout=0.6):
                pass
        assert time.monotonic() - started >= 0.6  # it waited before giving up
        message = str(busy.value)
        assert message.startswith(f"another run (pid {proc.pid}, started ") and message.endswith("holds the warehouse")
        assert holder(warehouse)["run_id"] == "holder-run"
    finally:
        proc.kill()
        proc.wait()


def test_lock_of_a_killed_run_is_free_at_once(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    proc = hold_lock(warehouse)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with warehouse_lock(warehouse, timeout=0):
        assert holder(warehouse)["pid"] == os.getpid()


def test_lock_is_reentrant_in_one_process_and_released_after(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    with warehouse_lock(warehouse, timeout=0):
        with warehouse_lock(warehouse, timeout=0):  # the job's lock resource inside `betamonitor run`
            pass
        code = ("import sys\nfrom pipelines.runs.lock import warehouse_lock, WarehouseBusy\n"
                "try:\n    warehouse_lock(sys.argv[1], 0).__enter__()\nexcept WarehouseBusy:\n    sys.exit(3)\n")
        other = subprocess.run([sys.executable, "-c", code, str(warehouse)], cwd=Path(__file__).resolve().parents[2])
        assert other.returncode == 3  # still held by the outer block
    other = subprocess.run([sys.executable, "-c", code, str(warehouse)], cwd=Path(__file__).resolve().parents[2])
    assert other.returncode == 0


def test_lock_timeout_from_env(monkeypatch):
    monkeypatch.delenv("BETAMONITOR_LOCK_TIMEOUT", raising=False)
    assert lock_timeout_from_env() == 300
    monkeypatch.setenv("BETAMONITOR_LOCK_TIMEOUT", "2.5")
    assert lock_timeout_from_env() == 2.5
    monkeypatch.setenv("BETAMONITOR_LOCK_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="BETAMONITOR_LOCK_TIMEOUT"):
        lock_timeout_from_env()


def test_fingerprint_sees_inputs_options_and_state(tmp_path):
    raw, publish, warehouse = tmp_path / "raw", tmp_path / "published", tmp_path / "state" / "w.duckdb"
    (raw / "reference").mkdir(parents=True)
    (raw / "reference" / "institutions.csv").write_text("a\n", encoding="utf-8")
    def compute(as_of=""):
        return fp.compute(RunSettings(raw_dir=str(raw), publish_dir=str(publish), warehouse=str(warehouse),
                                      as_of=as_of))

    first = compute()
    assert compute() == first
    fp.store_last_success(warehouse.parent, "run-1", first, RunSettings(publish_dir=str(publish), warehouse=str(warehouse)))
    assert fp.changed_parts(compute(), fp.load_last_success(warehouse.parent)) == []
    (raw / "reference" / "institutions.csv").write_text("b\n", encoding="utf-8")  # same size, new content
    assert fp.changed_parts(compute(), fp.load_last_success(warehouse.parent)) == ["raw"]
    assert "options" in fp.changed_parts(compute("2003-12-31"),
                                         fp.load_last_success(warehouse.parent))
    publish.mkdir()
    (publish / "catalog.json").write_text("{}", encoding="utf-8")
    assert "catalog" in fp.changed_parts(compute(), fp.load_last_success(warehouse.parent))
    fp.forget_last_success(warehouse.parent)
    assert fp.changed_parts(first, fp.load_last_success(warehouse.parent)) == ["no previous successful run"]


def test_instance_home_queues_one_nightly_run_at_a_time(tmp_path, monkeypatch):
    import dagster as dg

    from orchestration.definitions import JOB_NAME, defs

    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = prepare_home(instance_home(tmp_path / "state" / "w.duckdb"))
    assert home == tmp_path / "state" / "dagster_home"
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
        assert {"key": RUN_TAG_KEY, "value": RUN_TAG_VALUE, "limit": 1} in limits
    finally:
        instance.dispose()
    job = defs().resolve_job_def(JOB_NAME)
    assert job.run_tags.get(RUN_TAG_KEY) == RUN_TAG_VALUE
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "elsewhere"))
    assert instance_home(tmp_path / "state" / "w.duckdb") == tmp_path / "elsewhere"
