"""The Dagster code location: assets, the nightly job, its schedule and the new-delivery sensor.

`dagster dev` (workspace.yaml) loads `defs` lazily (the `@dg.definitions` function), configured
from BETAMONITOR_* environment variables; `betamonitor run` builds the same definitions with its
command-line options. Nothing is built at import.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import dagster as dg

from assets.dbt import dbt_resource
from assets.gates import gates
from assets.ingest import ingest_assets
from assets.publish import publish_assets
from assets.resources import BetamonitorSettings, WarehouseLockResource
from assets.transform import dbt_models
from orchestration.instance import RUN_TAG_KEY, RUN_TAG_VALUE
from pipelines.settings import RunSettings

JOB_NAME = "betamonitor_nightly"


@dg.success_hook(required_resource_keys={"warehouse_lock"})
def holds_warehouse_lock(context: dg.HookContext) -> None:
    """No-op: its only purpose is to make every run initialise (take) the warehouse lock."""


nightly_job = dg.define_asset_job(
    JOB_NAME,
    selection=dg.AssetSelection.all(),
    # One process: DuckDB allows one writer, and a blocking gate must share the run with its publish step.
    executor_def=dg.in_process_executor,
    description="Ingest raw deliveries, build the dbt marts, gate them with Great Expectations, publish.",
    hooks={holds_warehouse_lock},
    # The instance's run queue (dagster.yaml, orchestration/instance.py) allows one such run at a time.
    run_tags={RUN_TAG_KEY: RUN_TAG_VALUE},
)

nightly_schedule = dg.ScheduleDefinition(
    job=nightly_job, cron_schedule="0 2 * * *", execution_timezone="Europe/Amsterdam",
    default_status=dg.DefaultScheduleStatus.RUNNING)


def landing_fingerprint(raw_dir: Path) -> str:
    """Names, sizes and modification times of every file under the raw dir."""
    digest = hashlib.sha256()
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_dir)}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dg.sensor(job=nightly_job, minimum_interval_seconds=300, default_status=dg.DefaultSensorStatus.STOPPED,
           description="Starts the job when a delivery is added to (or changed in) the raw directory.")
def new_delivery_sensor(context: dg.SensorEvaluationContext, settings: BetamonitorSettings):
    raw_dir = Path(settings.raw_dir)
    if not raw_dir.is_dir():
        return dg.SkipReason(f"{raw_dir} does not exist")
    fingerprint = landing_fingerprint(raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("no new or changed files")
    context.update_cursor(fingerprint)
    return dg.RunRequest(run_key=fingerprint)


def _report_daemon_run(context: dg.RunStatusSensorContext, settings: BetamonitorSettings) -> None:
    from orchestration.report import report_daemon_run

    path = report_daemon_run(context.instance, context.dagster_run, settings.run.resolved())
    if path:
        context.log.info(f"run report: {path}")


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.SUCCESS, monitored_jobs=[nightly_job],
                      default_status=dg.DefaultSensorStatus.RUNNING, name="run_report_after_success",
                      description="Moves the catalog and writes the run report of a run the daemon started "
                                  "(betamonitor run does both itself).")
def run_report_after_success(context: dg.RunStatusSensorContext, settings: BetamonitorSettings):
    _report_daemon_run(context, settings)


@dg.run_status_sensor(run_status=dg.DagsterRunStatus.FAILURE, monitored_jobs=[nightly_job],
                      default_status=dg.DefaultSensorStatus.RUNNING, name="run_report_after_failure",
                      description="Moves the catalog for the marts that passed and writes the run report of a "
                                  "failed or blocked run the daemon started.")
def run_report_after_failure(context: dg.RunStatusSensorContext, settings: BetamonitorSettings):
    _report_daemon_run(context, settings)


def build_definitions(settings: RunSettings) -> dg.Definitions:
    """The code location for one set of run settings (parses the dbt project when it changed)."""
    return dg.Definitions(
        assets=[*ingest_assets(), dbt_models(), *publish_assets()],
        asset_checks=gates(),
        jobs=[nightly_job],
        schedules=[nightly_schedule],
        sensors=[new_delivery_sensor, run_report_after_success, run_report_after_failure],
        resources={"settings": BetamonitorSettings.of(settings), "dbt": dbt_resource(),
                   "warehouse_lock": WarehouseLockResource(
                       warehouse=str(Path(settings.warehouse).resolve()),
                       timeout_seconds=settings.lock_timeout)},
    )


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev` and the daemon load (workspace.yaml): settings from BETAMONITOR_* variables."""
    return build_definitions(RunSettings.from_env())
