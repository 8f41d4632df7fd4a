"""orchestration/sqlite_storage.py: the instance's SQLite event log keeps its connections open, writes
Dagster's own files (Dagster's default storage reads them), and closes what it no longer uses."""

from __future__ import annotations

import dagster as dg

from orchestration import sqlite_storage
from orchestration.instance import open_instance


@dg.op
def count_rows() -> int:
    return 3


@dg.job
def tiny_job():
    count_rows()


def test_events_go_to_dagsters_own_files_through_kept_connections(tmp_path):
    warehouse = tmp_path / "state" / "warehouse.duckdb"
    instance = open_instance(warehouse)
    try:
        storage = instance.event_log_storage
        assert isinstance(storage, sqlite_storage.PooledSqliteEventLogStorage)
        result = tiny_job.execute_in_process(instance=instance)
        assert result.success
        engine = storage._engines[result.run_id]
        # every event of the run went through one engine, and its one connection is kept for the next
        assert engine.pool.checkedin() == 1
        n_events = len(instance.all_logs(result.run_id))
        assert n_events > 5
    finally:
        instance.dispose()
    assert storage._engines == {}  # dispose closes them

    # Dagster's default SQLite storage reads the same run from the same home
    plain = dg.DagsterInstance.from_config(str(tmp_path / "state" / "dagster_home"))
    try:
        assert type(plain.event_log_storage).__name__ == "SqliteEventLogStorage"
        assert plain.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS
        assert len(plain.all_logs(result.run_id)) == n_events
    finally:
        plain.dispose()


def test_only_the_most_recent_databases_stay_open(tmp_path):
    instance = open_instance(tmp_path / "state" / "warehouse.duckdb")
    try:
        run_ids = [tiny_job.execute_in_process(instance=instance).run_id
                   for _ in range(sqlite_storage.OPEN_DATABASES + 1)]
        open_now = list(instance.event_log_storage._engines)
        assert len(open_now) == sqlite_storage.OPEN_DATABASES
        assert run_ids[0] not in open_now and run_ids[-1] in open_now and "index" in open_now
        # a closed database opens again on demand
        assert len(instance.all_logs(run_ids[0])) > 5
    finally:
        instance.dispose()
