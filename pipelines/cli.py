"""`betamonitor run`: the nightly Dagster job, in-process, with a one-line summary and exit code.

Exit codes: 0 every mart published; 2 a quality gate blocked a publish; 1 any other failure
(including a rejected input file: its data is not used, the last good data and publication stay,
and another run holding the warehouse past the lock timeout). `betamonitor runs` lists the last
runs, `betamonitor report RUN_ID` prints one run's report (pipelines/runs/).
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.paths import DEFAULT_PUBLISH_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE

EXIT_OK, EXIT_FAILED, EXIT_GATE_BLOCKED = 0, 1, 2
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
    events: list = field(default_factory=list, repr=False)  # the job's DagsterEvents, for the run report

    @property
    def exit_code(self) -> int:
        if self.blocked:
            return EXIT_GATE_BLOCKED
        if self.failed_steps or self.rejected:
            return EXIT_FAILED
        return EXIT_OK

    def line(self) -> str:
        parts = [f"published new: {', '.join(self.published) or 'none'}"]
        if self.unchanged:
            parts.append(f"unchanged: {', '.join(self.unchanged)}")
        parts.append(f"blocked: {', '.join(self.blocked) or 'none'}")
        if self.not_published:
            parts.append(f"not published: {', '.join(self.not_published)}")
        if self.rejected:
            parts.append(f"rejected files: {' | '.join(self.rejected)}")
        if self.failed_steps:
            parts.append(f"failed: {', '.join(self.failed_steps)}")
        return f"betamonitor run {self.run_id[:8]}: " + "; ".join(parts)


def root_cause(error) -> str:
    """The innermost error's first line: the reason, not Dagster's wrapper around it."""
    while error is not None and error.cause is not None:
        error = error.cause
    if error is None:
        return "unknown error"
    lines = [line for line in error.message.strip().splitlines() if line.strip()]
    return lines[0] if lines else error.cls_name


def run_job(raw_dir: Path, publish_dir: Path, warehouse: Path, as_of: str = "", *,
            instance=None, run_id: str | None = None) -> RunSummary:
    """Execute the real Dagster job in this process and summarise its events.

    The run is recorded in the persistent Dagster instance (pipelines/runs/instance.py) unless an
    instance is passed. Holds the warehouse lock for the run (the job's lock resource)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    os.environ["BETAMONITOR_WAREHOUSE"] = str(warehouse)
    import dagster as dg

    from pipelines.definitions import JOB_NAME, build_definitions
    from pipelines.settings import BetamonitorSettings

    settings = BetamonitorSettings(raw_dir=str(raw_dir), publish_dir=str(publish_dir),
                                   warehouse=str(warehouse), as_of=as_of)
    settings.validated_as_of()
    job = build_definitions(settings).resolve_job_def(JOB_NAME)
    own_instance = instance is None
    if own_instance:
        from pipelines.runs.instance import open_instance

        instance = open_instance(warehouse)
    try:
        result = job.execute_in_process(
            raise_on_error=False, instance=instance, run_id=run_id,
            tags={CLI_TAG: "cli", "betamonitor/pid": str(os.getpid()), "betamonitor/host": socket.gethostname()},
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
            for text in getattr(meta.get("rejected"), "value", None) or []:
                summary.rejected.append(text)
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if not evaluation.passed and evaluation.severity == dg.AssetCheckSeverity.ERROR:
                detail = evaluation.metadata.get("summary")
                summary.blocked.append(f"{evaluation.asset_key.path[-1]} ({detail.value if detail else 'check failed'})")
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error and "DagsterAssetCheckFailedError" in error.cls_name:
                continue  # a blocking gate: already reported as blocked
            summary.failed_steps.append(f"{event.step_key}: {root_cause(error)}")
    return summary


def run_trace(args) -> int:
    """Exit 0 when the figure is recomputed from its raw cells and matches; 1 otherwise."""
    import json

    from pipelines.trace import TraceError, parse_where, render_text, trace_figure, write_outputs

    try:
        result = trace_figure(args.mart, parse_where(args.where), args.column, publish_dir=args.publish_dir,
                              warehouse=args.warehouse, raw_dir=args.raw_dir, version=args.version)
    except TraceError as exc:
        print(f"betamonitor trace: {exc}")
        return EXIT_FAILED
    if args.format == "json":
        print(json.dumps(result.to_json(), indent=2, sort_keys=True, default=str))
    else:
        print(render_text(result), end="")
    if args.out:
        for path in write_outputs(result, args.out):
            print(f"wrote {path}")
    return EXIT_OK if result.matches else EXIT_FAILED


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="betamonitor", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the nightly job on a raw directory and publish the marts")
    run.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR)
    run.add_argument("--publish-dir", type=Path, default=DEFAULT_PUBLISH_DIR)
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    run.add_argument("--as-of", default="", metavar="YYYY-MM-DD",
                     help="only deliveries dated on or before this date count")
    run.add_argument("--lock-timeout", type=float, default=None, metavar="SECONDS",
                     help="wait this long for another run to release the warehouse, then exit 1 "
                          "(default: $BETAMONITOR_LOCK_TIMEOUT or 300)")
    run.add_argument("--force", action="store_true",
                     help="run the whole job even when nothing changed since the last successful run")
    runs = sub.add_parser("runs", help="list the last runs (from their run reports)")
    runs.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    runs.add_argument("-n", "--last", type=int, default=10, help="how many runs (default 10)")
    report = sub.add_parser("report", help="print one run's report")
    report.add_argument("run_id", help="a run id, or a unique prefix (the summary line shows 8 characters)")
    report.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    report.add_argument("--format", choices=["text", "json"], default="text")
    trace = sub.add_parser("trace", help="trace one published figure back to its raw cells and prove it")
    trace.add_argument("mart", help="sector_growth, institution_growth, program_growth or gender_shares")
    trace.add_argument("--where", required=True, metavar="KEY=VALUE,...",
                       help="the figure's grain keys, e.g. sector=wo,measure=instroom,year=2007")
    trace.add_argument("--column", default=None, help="the column to trace (default growth_pct / share_pct)")
    trace.add_argument("--version", default=None, help="a publication version (default: the current one)")
    trace.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR)
    trace.add_argument("--publish-dir", type=Path, default=DEFAULT_PUBLISH_DIR)
    trace.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    trace.add_argument("--format", choices=["text", "json"], default="text")
    trace.add_argument("--out", type=Path, default=None, help="also write trace.json, raw_cells.csv, trace.txt here")
    args = parser.parse_args(argv)
    if args.command == "trace":
        return run_trace(args)
    if args.command in ("runs", "report"):
        return show_runs(args)
    return run_nightly(args)


def run_nightly(args) -> int:
    """Lock, no-change check, the job, the run report (pipelines/runs/nightly.py)."""
    from pipelines.runs.lock import lock_timeout_from_env
    from pipelines.runs.nightly import execute_run

    try:
        timeout = args.lock_timeout if args.lock_timeout is not None else lock_timeout_from_env()
        outcome = execute_run(args.raw_dir.resolve(), args.publish_dir.resolve(), args.warehouse.resolve(),
                              args.as_of, lock_timeout=timeout, force=args.force)
    except Exception as exc:  # a failure before the job could start: still one line, exit 1
        print(f"betamonitor run: failed before the job ran: {exc}")
        return EXIT_FAILED
    print(outcome.line)
    return outcome.exit_code


def show_runs(args) -> int:
    """`betamonitor runs` and `betamonitor report RUN_ID`: read the run reports beside the warehouse."""
    import json

    from pipelines.runs.report import find_report, load_reports, render, render_list

    state_dir = args.warehouse.resolve().parent
    if args.command == "runs":
        reports = load_reports(state_dir)
        if not reports:
            print(f"no run reports under {state_dir / 'reports'}")
            return EXIT_FAILED
        print(render_list(reports, args.last), end="")
        return EXIT_OK
    found = find_report(state_dir, args.run_id)
    if found is None:
        print(f"betamonitor report: no (unique) run report for {args.run_id!r} under {state_dir / 'reports'}")
        return EXIT_FAILED
    print(json.dumps(found, indent=2, sort_keys=True, ensure_ascii=False) if args.format == "json" else render(found),
          end="\n" if args.format == "json" else "")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
