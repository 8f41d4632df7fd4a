"""Running the nightly Dagster job in this process, and the one-line summary of what it did.

Its exit code (orchestration/exit_codes.py) follows from the job's events.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.definitions import JOB_NAME, build_definitions
from orchestration.exit_codes import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK
from orchestration.instance import open_instance
from orchestration.report import root_cause  # a failed step's reason, shared with the run report
from pipelines.lineage import upstream_marts
from pipelines.marts import MARTS
from pipelines.publishing.metadata import counting_notes
from pipelines.settings import RunSettings

CLI_TAG = "betamonitor/launched_by"  # runs of `betamonitor run` (their report is written by it, not a sensor)


@dataclass
class RunSummary:
    run_id: str
    published: list[str] = field(default_factory=list)  # written as a new version by this run
    unchanged: list[str] = field(default_factory=list)  # identical data: the existing version stays current
    blocked: list[str] = field(default_factory=list)
    not_published: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # counting notes: cells not counted by type, missing baselines
    held_back: list[str] = field(default_factory=list)
    events: list = field(default_factory=list, repr=False)  # the job's DagsterEvents, for the run report

    @property
    def exit_code(self) -> int:
        if self.failed_steps:  # a runtime error (dbt, a bug) is not a quality gate: exit 1
            return EXIT_FAILED
        if self.blocked or self.held_back:
            return EXIT_GATE_BLOCKED
        if self.rejected:
            return EXIT_FAILED
        return EXIT_OK

    def line(self) -> str:
        parts = [f"published new: {', '.join(self.published) or 'none'}"]
        if self.unchanged:
            parts.append(f"unchanged: {', '.join(self.unchanged)}")
        parts.append(f"blocked: {', '.join(self.blocked) or 'none'}")
        if self.held_back:
            parts.append(f"held back: {', '.join(self.held_back)}")
        if self.not_published:
            parts.append(f"not published: {', '.join(self.not_published)}")
        if self.rejected:
            parts.append(f"rejected files: {' | '.join(self.rejected)}")
        if self.failed_steps:
            parts.append(f"failed: {', '.join(self.failed_steps)}")
        if self.notes:
            parts.append(f"notes: {' | '.join(self.notes)}")
        return f"betamonitor run {self.run_id[:8]}: " + "; ".join(parts)


def run_job(raw_dir: Path, publish_dir: Path, warehouse: Path, as_of: str = "", baseline_year: int = 0, *,
            instance=None, run_id: str | None = None, tags: dict | None = None) -> RunSummary:
    """Execute the real Dagster job in this process and summarise its events.

    The run is recorded in the persistent Dagster instance (orchestration/instance.py) unless an
    instance is passed. Holds the warehouse lock for the run (the job's lock resource)."""
    settings = RunSettings(raw_dir=str(raw_dir), publish_dir=str(publish_dir),
                           warehouse=str(warehouse), as_of=as_of, baseline_year=baseline_year)
    settings.dbt_vars()  # validates the options before anything runs
    job = build_definitions(settings).resolve_job_def(JOB_NAME)
    own_instance = instance is None
    if own_instance:
        instance = open_instance(warehouse)
    try:
        result = job.execute_in_process(
            raise_on_error=False, instance=instance, run_id=run_id,
            tags={CLI_TAG: "cli", "betamonitor/pid": str(os.getpid()), "betamonitor/host": socket.gethostname(),
                  **(tags or {})},
            run_config={"loggers": {"console": {"config": {"log_level": os.environ.get("BETAMONITOR_LOG_LEVEL", "INFO")}}}})
    finally:
        if own_instance:
            instance.dispose()
    summary = RunSummary(run_id=result.run_id, events=list(result.all_events))
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            mat = event.event_specific_data.materialization
            meta = mat.metadata
            if mat.asset_key.path[0] == "published" and "version" in meta:
                newly_written = meta.get("newly_written")
                target = summary.published if newly_written is None or newly_written.value else summary.unchanged
                target.append(f"{mat.asset_key.path[-1]}@{meta['version'].value}")
            elif mat.asset_key.path[0] == "published":
                summary.not_published.append(f"{mat.asset_key.path[-1]} (no input data)")
            rejected = getattr(meta.get("rejected"), "value", None) or []
            # A reference asset reports one rejection as text, the others a list: never split text.
            summary.rejected.extend([rejected] if isinstance(rejected, str) else rejected)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                detail = evaluation.metadata.get("summary")
                if evaluation.check_name == "gx_quality_gate":
                    summary.blocked.append(
                        f"{evaluation.asset_key.path[-1]} ({detail.value if detail else 'check failed'})")
                else:  # a dbt test guards the models: a failure is a failed run, not a gate
                    summary.failed_steps.append(
                        f"dbt test {evaluation.check_name} on {evaluation.asset_key.to_user_string()} failed")
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error and "DagsterAssetCheckFailedError" in error.cls_name:
                continue  # a blocking gate: already reported as blocked
            cause = root_cause(error)
            if cause.startswith("held back:"):
                summary.held_back.append(f"{event.step_key.removeprefix('published__')} ({cause})")
                continue
            summary.failed_steps.append(f"{event.step_key}: {cause}")
    summary.held_back.extend(held_back_reasons(summary))
    summary.notes = run_counting_notes(warehouse)
    return summary


def run_counting_notes(warehouse: Path) -> list[str]:
    """What the run left out by rule (read back from the warehouse the job just built)."""
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return counting_notes(con)
    except duckdb.Error:  # the job failed before dbt built these models
        return []


def held_back_reasons(summary: RunSummary) -> list[str]:
    """Marts whose publish step did not run because a mart they are built on was blocked (Dagster
    skips such steps without an event of their own): name the mart and its gate."""
    def name(text: str) -> str:
        return text.split("@", 1)[0].split(" ", 1)[0]

    accounted = {name(t) for t in summary.published + summary.unchanged + summary.not_published + summary.blocked
                 + summary.held_back}
    blocked_marts = {name(b) for b in summary.blocked}
    out = []
    for mart in MARTS:
        causes = [u for u in upstream_marts(mart, MARTS) if u in blocked_marts]
        if mart not in accounted and causes:
            out.append(f"{mart} (built on {', '.join(causes)}, whose gate blocked in this run)")
    return out
