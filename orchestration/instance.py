"""The persistent Dagster instance that `betamonitor run` and `make dagster-dev` share.

Home: `DAGSTER_HOME` when set, else `dagster_home/` beside the warehouse (for the default
warehouse: `state/dagster_home/`, git-ignored). A home without a `dagster.yaml` gets the default
one below: SQLite storage in the home, the queued run coordinator, and at most one in-progress run
of the nightly job (its runs carry the tag `betamonitor/warehouse`). A home that has its own
`dagster.yaml` (e.g. `deploy/dagster-postgres.yaml` for a shared deployment) is used as it is.

`python -m orchestration.instance [WAREHOUSE]` prepares the home (for WAREHOUSE, else
$BETAMONITOR_WAREHOUSE, else the default warehouse) and prints its path (the Makefile's `dagster-dev`
target uses it).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pipelines.paths import DEFAULT_WAREHOUSE

INSTANCE_DIRNAME = "dagster_home"
RUN_TAG_KEY = "betamonitor/warehouse"  # every run of the nightly job has it; the queue allows one at a time
RUN_TAG_VALUE = "exclusive"

DEFAULT_DAGSTER_YAML = f"""\
# Written by betamonitor (orchestration/instance.py) when the instance home had no dagster.yaml.
# Storage: SQLite files in this folder (the default). For a shared deployment on PostgreSQL use
# deploy/dagster-postgres.yaml instead (see README, "Shared deployment on PostgreSQL").
telemetry:
  enabled: false
# The schedule and sensor queue their runs; the daemon starts a queued run of the nightly job only
# when no other one is in progress (DuckDB has a single writer).
run_coordinator:
  module: dagster._core.run_coordinator
  class: QueuedRunCoordinator
concurrency:
  runs:
    tag_concurrency_limits:
      - key: "{RUN_TAG_KEY}"
        value: "{RUN_TAG_VALUE}"
        limit: 1
"""


def instance_home(warehouse: Path | str = DEFAULT_WAREHOUSE) -> Path:
    if os.environ.get("DAGSTER_HOME"):
        return Path(os.environ["DAGSTER_HOME"]).resolve()
    return Path(warehouse).resolve().parent / INSTANCE_DIRNAME


def prepare_home(home: Path) -> Path:
    """Create the home and its default dagster.yaml (never overwrites an existing one)."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        tmp = home / ".dagster.yaml.tmp"
        tmp.write_text(DEFAULT_DAGSTER_YAML, encoding="utf-8")
        os.replace(tmp, config)
    return home


def open_instance(warehouse: Path | str = DEFAULT_WAREHOUSE):
    """The persistent DagsterInstance for a warehouse (imports dagster: call it only to run the job)."""
    import dagster as dg
    from dagster._core.instance.ref import InstanceRef
    from dagster._serdes import ConfigurableClassData

    home = prepare_home(instance_home(warehouse))
    ref = InstanceRef.from_dir(str(home))
    if ref.storage_data is not None and ref.storage_data.class_name == "DagsterSqliteStorage":
        # The same SQLite files, with one connection per database instead of one per event
        # (orchestration/sqlite_storage.py); other storages (PostgreSQL) as configured.
        ref = ref._replace(storage_data=ConfigurableClassData(
            "orchestration.sqlite_storage", "PooledSqliteStorage", ref.storage_data.config_yaml))
    return dg.DagsterInstance.from_ref(ref)


if __name__ == "__main__":
    print(prepare_home(instance_home(sys.argv[1] if len(sys.argv) > 1
                                     else os.environ.get("BETAMONITOR_WAREHOUSE") or DEFAULT_WAREHOUSE)))
