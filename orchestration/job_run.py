"""Running the nightly Dagster job in this process; `close_run` (orchestration/outcome.py) reads
its events once into the outcome the summary, the run report and the exit code come from."""

from __future__ import annotations

import os
import socket

from orchestration.definitions import JOB_NAME, build_definitions
from orchestration.instance import open_instance
from orchestration.outcome import RunOutcome, close_run
from pipelines.settings import RunSettings

CLI_TAG = "betamonitor/launched_by"  # runs of `betamonitor run` (their report is written by it, not a sensor)


def run_job(settings: RunSettings, *, instance=None, run_id: str | None = None,
            tags: dict | None = None) -> RunOutcome:
    """Execute the real Dagster job in this process, move the catalog and read the outcome.

    The run is recorded in the persistent Dagster instance (orchestration/instance.py) unless an
    instance is passed. Holds the warehouse lock for the run (the job's lock resource)."""
    settings = settings.resolved()
    settings.dbt_vars()  # validates the options before anything runs
    job = build_definitions(settings).resolve_job_def(JOB_NAME)
    own_instance = instance is None
    if own_instance:
        instance = open_instance(settings.warehouse)
    try:
        result = job.execute_in_process(
            raise_on_error=False, instance=instance, run_id=run_id,
            tags={CLI_TAG: "cli", "betamonitor/pid": str(os.getpid()), "betamonitor/host": socket.gethostname(),
                  **(tags or {})},
            run_config={"loggers": {"console": {"config": {"log_level": os.environ.get("BETAMONITOR_LOG_LEVEL", "INFO")}}}})
    finally:
        if own_instance:
            instance.dispose()
    return close_run(result.run_id, result.all_events, settings)
