"""`betamonitor run` around the Dagster job: pre-flight checks, lock, no-change check, the job, the run report.

0. Check the inputs (orchestration/preflight.py): a missing raw dir, an unwritable publish or state
   dir, a corrupt warehouse end the run at once with one line (exit 1).
1. Take the warehouse lock (waiting up to the lock timeout), then wait until the warehouse file
   opens (a process of a killed run, e.g. its dbt, may still hold DuckDB's own lock).
2. Fingerprint inputs, code, options and state (pipelines/runs/fingerprint.py). Equal to the last
   successful run's: report "nothing changed" and stop (no Dagster, no dbt, no publish).
3. Otherwise forget the last success, run the job on the persistent instance under a reproducible
   run id (reproducible_run_id), write the run report,
   record it in the instance, and after exit 0 store the fingerprint.

The printed summary (orchestration/outcome.py RunOutcome.line) is a header line, one line per mart,
the reasons each once and the report's path; the no-change and busy runs print one line.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from orchestration.exit_codes import EXIT_FAILED, EXIT_OK
from orchestration.preflight import check_run_inputs, warehouse_problem
from orchestration.report import report_path, write_report
from pipelines.runs import fingerprint as fp
from pipelines.runs.lock import WarehouseBusy, warehouse_lock
from pipelines.settings import RunSettings



@dataclass
class RunResult:
    """What `betamonitor run` prints and returns: its exit code, summary and the run report."""
    exit_code: int
    line: str
    report: dict


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class WarehouseCorrupt(Exception):
    """DuckDB cannot open the warehouse file for another reason than a lock."""


def wait_until_openable(warehouse: Path, deadline: float) -> None:
    """DuckDB's own file lock: a leftover process of a killed run may still hold it for a while."""
    if not warehouse.exists():
        return
    import duckdb

    while True:
        try:
            duckdb.connect(str(warehouse), read_only=True).close()
            return
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            if "lock" not in first.lower():
                raise WarehouseCorrupt(warehouse_problem(warehouse) or f"the warehouse {warehouse}: {first}") from None
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"the warehouse {warehouse} is held by another process: {first}") from None
            time.sleep(0.5)


def execute_run(settings: RunSettings) -> RunResult:
    """Check the inputs, take the lock, skip when nothing changed, else run the job and report."""
    settings = settings.resolved()
    settings.dbt_vars()  # before the lock: a bad option does nothing
    warehouse, state_dir = Path(settings.warehouse), settings.state_dir
    run_id = str(uuid.uuid4())
    started, t0 = _now(), time.monotonic()
    report = {"format": 1, "run_id": run_id, "started": started,
              "options": {"raw_dir": settings.raw_dir, "publish_dir": settings.publish_dir,
                          "warehouse": settings.warehouse, "as_of": settings.as_of,
                          "baseline_year": settings.baseline_year, "lock_timeout": settings.lock_timeout,
                          "force": settings.force}}

    def finish(status: str, exit_code: int, line: str, **extra) -> RunResult:
        report.update(status=status, exit_code=exit_code, finished=_now(),
                      duration_seconds=round(time.monotonic() - t0, 2), summary=line, **extra)
        write_report(state_dir, report)
        return RunResult(exit_code, line, report)

    check_run_inputs(settings)  # raises PreflightError: one line, nothing done, no report
    try:
        with warehouse_lock(warehouse, settings.lock_timeout, run_id=run_id):
            wait_until_openable(warehouse, time.monotonic() + settings.lock_timeout)
            current = fp.compute(settings)
            previous = fp.load_last_success(state_dir)
            changed = fp.changed_parts(current, previous)
            report["changed_since_last_success"] = changed
            if not changed and not settings.force:
                line = (f"betamonitor run {run_id[:8]}: nothing changed since run {previous['run_id'][:8]} "
                        f"({previous['finished']}): no rebuild, the publication stays as it is")
                return finish("unchanged", EXIT_OK, line, message="nothing changed since the last successful "
                              f"run {previous['run_id']}: inputs, code, options, catalog, published files "
                              "and warehouse are as it left them")
            fp.forget_last_success(state_dir)
            result = _run_job(current, settings, report, finish)
            if result.exit_code == EXIT_OK:
                fp.store_last_success(state_dir, result.report["run_id"], current, settings)
            return result
    except WarehouseBusy as busy:
        line = f"betamonitor run {run_id[:8]}: {busy}; gave up after {settings.lock_timeout:g} s, nothing was done"
        return finish("busy", EXIT_FAILED, line, message=str(busy))
    except WarehouseCorrupt as corrupt:
        line = f"betamonitor run {run_id[:8]}: {corrupt}"
        return finish("failed", EXIT_FAILED, line, message=str(corrupt))


# What a run computes: the no-change fingerprint without the paths and the warehouse file's stat.
RUN_SEED_PARTS = ("format", "raw", "dbt", "expectations", "code", "catalog")
RUN_SEED_TAG = "betamonitor/run_seed"
RUN_ID_NAMESPACE = uuid.UUID("5d0c2f38-3f4e-4b8e-9a57-0b6e7a1c9d21")  # betamonitor's own, fixed


def reproducible_run_id(fingerprint: dict, instance) -> tuple[str, str]:
    """The run's id and seed. The id is a UUID derived from what the run computes (inputs, dbt project,
    expectations, code, as-of date, baseline year, the catalog it starts from) and from how many runs
    of that seed this Dagster instance has had: the same inputs, code and as-of date run from the same
    start publish byte-identical files, run id (metadata.json, catalog) included, and every run in an
    instance still has its own id."""
    import dagster as dg

    seed = hashlib.sha256(json.dumps({**{k: fingerprint[k] for k in RUN_SEED_PARTS},
                                      "as_of": fingerprint["options"]["as_of"],
                                      "baseline_year": fingerprint["options"]["baseline_year"]},
                                     sort_keys=True).encode()).hexdigest()
    earlier = instance.get_runs_count(filters=dg.RunsFilter(tags={RUN_SEED_TAG: seed}))
    return str(uuid.uuid5(RUN_ID_NAMESPACE, f"{seed}:{earlier}")), seed


def _run_job(fingerprint: dict, settings: RunSettings, report: dict, finish) -> RunResult:
    from orchestration.instance import open_instance
    from orchestration.job_run import run_job  # imports Dagster and the definitions: only when the job runs

    instance = open_instance(settings.warehouse)
    report["dagster_instance"] = str(instance.root_directory)
    try:
        report["dead_runs_marked_failed"] = mark_dead_runs_failed(instance)
        run_id, seed = reproducible_run_id(fingerprint, instance)
        report["run_id"] = run_id
        outcome = run_job(settings, instance=instance, run_id=run_id, tags={RUN_SEED_TAG: seed})
        outcome.report_path = str(report_path(settings.state_dir, run_id))
        # The summary prints each mart's line and each reason cut to one short line; the report keeps
        # them whole (marts, reasons: numbered as in the summary) beside the sections they are read from.
        fields = outcome.report_fields()
        result = finish(fields.pop("status"), fields.pop("exit_code"), outcome.line(),
                        launched_by="betamonitor run", **fields)
        record_in_instance(instance, result.report)
        return result
    finally:
        instance.dispose()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_dead_runs_failed(instance) -> list[str]:
    """Runs of `betamonitor run` on this host whose process died (e.g. kill -9) stay "started" in
    the instance, and the run queue would count them as in progress for ever: mark them failed.
    Called with the warehouse lock held, so no run of this warehouse is in progress."""
    import dagster as dg

    from orchestration.job_run import CLI_TAG

    dead = []
    runs = instance.get_runs(filters=dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.NOT_STARTED],
        tags={CLI_TAG: "cli"}))
    for run in runs:
        pid = run.tags.get("betamonitor/pid", "")
        if run.tags.get("betamonitor/host") == socket.gethostname() and pid.isdigit() and not _alive(int(pid)):
            instance.report_run_failed(run, f"the betamonitor run process (pid {pid}) died before the run ended")
            dead.append(run.run_id)
    return dead


def record_in_instance(instance, report: dict) -> None:
    """The report as metadata of the asset `reports/run_report` (and the run's status as a tag)."""
    import dagster as dg

    published = report.get("published") or {}
    metadata = {
        "run_id": report["run_id"], "status": report["status"], "exit_code": report["exit_code"],
        "report": dg.MetadataValue.json(report),
        "published_new": [f"{m}@{p['version']}" for m, p in published.items() if p["status"] == "published new"],
        "unchanged": [f"{m}@{p['version']}" for m, p in published.items() if p["status"] == "unchanged"],
        "kept_back": [f"{k['mart']}: {k['reason']}" for k in report.get("kept_back") or []],
    }
    instance.report_runless_asset_event(dg.AssetMaterialization(
        asset_key=["reports", "run_report"], description=report["summary"], metadata=metadata))
    if instance.has_run(report["run_id"]):
        instance.add_run_tags(report["run_id"], {"betamonitor/status": report["status"]})
