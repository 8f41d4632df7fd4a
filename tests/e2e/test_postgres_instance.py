"""The same code location on `dagster-postgres` storage (deploy/dagster-postgres.yaml), against a
real PostgreSQL server this test starts itself: initdb in a temporary directory (as the `postgres`
user when the tests run as root), pg_ctl start on a free port, stopped afterwards. Debian's
`postgresql` is installed by scripts/ci/install_postgresql.sh (`make test`); where it is missing
the test is skipped and says why."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import write_small_raw

REPO = Path(__file__).resolve().parents[2]


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def postgres():
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin): run "
                    "scripts/ci/install_postgresql.sh (Debian package postgresql) to include this test")
    as_user: list[str] = []
    owner = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no `postgres` user to run the server as")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="betamonitor-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if owner:
        os.chown(base, owner.pw_uid, owner.pw_gid)
        os.chown(sockets, owner.pw_uid, owner.pw_gid)
    port = free_port()
    subprocess.run([*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "--no-sync", "-E", "UTF8"], check=True, capture_output=True)
    subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w",
                    "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off", "start"],
                   check=True, capture_output=True)
    try:
        subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "dagster"],
                       check=True, capture_output=True)
        yield {"DAGSTER_PG_HOST": "127.0.0.1", "DAGSTER_PG_PORT": str(port), "DAGSTER_PG_DB": "dagster",
               "DAGSTER_PG_USERNAME": "postgres", "DAGSTER_PG_PASSWORD": "not-used-trust-auth"}
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def test_runs_are_recorded_in_postgres(postgres, tmp_path, monkeypatch):
    import dagster as dg

    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO / "deploy" / "dagster-postgres.yaml", home / "dagster.yaml")
    write_small_raw(tmp_path / "raw")
    env = {**os.environ, **postgres, "DAGSTER_HOME": str(home), "BETAMONITOR_LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", "run", "--raw-dir", str(tmp_path / "raw"),
                             "--publish-dir", str(tmp_path / "published"),
                             "--warehouse", str(tmp_path / "state" / "warehouse.duckdb")],
                            cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # the summary's header line: `betamonitor run <8-char id>: published new: …`
    [header] = [line for line in result.stdout.splitlines() if line.startswith("betamonitor run ")]
    run_id_prefix = header.split()[2].rstrip(":")
    assert not (tmp_path / "state" / "dagster_home").exists()  # DAGSTER_HOME wins over the default home
    assert not list(home.rglob("*.db"))  # no SQLite run/event storage: it all went to PostgreSQL

    for key, value in postgres.items():
        monkeypatch.setenv(key, value)
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        records = instance.get_run_records(dg.RunsFilter(job_name="betamonitor_nightly"))
        assert len(records) == 1 and records[0].dagster_run.run_id.startswith(run_id_prefix)
        assert records[0].dagster_run.status == dg.DagsterRunStatus.SUCCESS
        run_id = records[0].dagster_run.run_id
        published = instance.get_latest_materialization_event(dg.AssetKey(["published", "sector_growth"]))
        assert published.run_id == run_id and published.asset_materialization.metadata["version"].value
        gate = dg.AssetCheckKey(dg.AssetKey(["marts", "sector_growth"]), "gx_quality_gate")
        assert instance.event_log_storage.get_latest_asset_check_execution_by_key([gate])[gate].run_id == run_id
        report = instance.get_latest_materialization_event(dg.AssetKey(["reports", "run_report"]))
        assert report.asset_materialization.metadata["run_id"].value == run_id
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
        assert {"key": "betamonitor/warehouse", "value": "exclusive", "limit": 1} in limits
    finally:
        instance.dispose()
