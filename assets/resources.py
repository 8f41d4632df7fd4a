"""Resources the assets share: the run's settings and the warehouse lock."""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.paths import DEFAULT_PUBLISH_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE
from pipelines.runs.lock import DEFAULT_LOCK_TIMEOUT, warehouse_lock
from pipelines.settings import RunSettings


class BetamonitorSettings(dg.ConfigurableResource):
    """The run's settings (pipelines/settings.RunSettings) as a Dagster resource: `betamonitor run`
    fills it from its options, `dagster dev` and the daemon from BETAMONITOR_* variables."""

    raw_dir: str = str(DEFAULT_RAW_DIR)
    publish_dir: str = str(DEFAULT_PUBLISH_DIR)
    warehouse: str = str(DEFAULT_WAREHOUSE)
    as_of: str = ""
    baseline_year: int = 0
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    force: bool = False

    @classmethod
    def of(cls, run: RunSettings) -> BetamonitorSettings:
        return cls(**dataclasses.asdict(run))

    @property
    def run(self) -> RunSettings:
        return RunSettings(**{f.name: getattr(self, f.name) for f in dataclasses.fields(RunSettings)})

    @property
    def state_dir(self) -> Path:
        return self.run.state_dir

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return self.run.connect(read_only)


class WarehouseLockResource(dg.ConfigurableResource):
    """Holds the warehouse lock (pipelines/runs/lock.py) from the start of a run to its end.

    Initialised once per run (in-process executor) before the first step, because the job's hook
    requires it. `betamonitor run` takes the lock before the job starts; here it is re-entrant.
    Runs the Dagster daemon starts (schedule, sensor, launchpad) take it here.
    """

    warehouse: str
    timeout_seconds: float

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext):
        with warehouse_lock(self.warehouse, self.timeout_seconds, run_id=context.run_id or ""):
            yield self
