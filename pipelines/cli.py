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
from pipelines.runs.report import root_cause  # a failed step's reason, shared with the run report

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
                                   warehouse=str(warehouse), as_of=as_of, baseline_year=baseline_year)
    settings.dbt_vars()  # validates the options before anything runs
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

    from pipelines.publishing.metadata import counting_notes

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return counting_notes(con)
    except duckdb.Error:  # the job failed before dbt built these models
        return []


def held_back_reasons(summary: RunSummary) -> list[str]:
    """Marts whose publish step did not run because a mart they are built on was blocked (Dagster
    skips such steps without an event of their own): name the mart and its gate."""
    from pipelines.lineage import upstream_marts
    from pipelines.marts import MARTS

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
    run.add_argument("--baseline-year", type=int, default=0, metavar="YYYY",
                     help="index every series on this year (default 2000); a series without it publishes "
                          "its values with empty index and growth")
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
    diff = sub.add_parser("diff", help="the figures that differ between two published versions of a mart")
    diff.add_argument("mart")
    diff.add_argument("--from", dest="from_version", default=None, help="default: the version before --to")
    diff.add_argument("--to", dest="to_version", default=None, help="default: the current version")
    diff.add_argument("--format", choices=["text", "csv"], default="text")
    diff.add_argument("--publish-dir", type=Path, default=DEFAULT_PUBLISH_DIR)
    serve = sub.add_parser("serve", help="serve the publish directory (and its site/) on localhost")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--publish-dir", type=Path, default=DEFAULT_PUBLISH_DIR)
    for name, verb in (("accept", "accept a restatement the revision check blocks (recorded: who, when, why)"),
                       ("withdraw", "take a bad delivery out of use (kept in the warehouse, marked withdrawn)")):
        decide = sub.add_parser(name, help=verb)
        decide.add_argument("delivery", help="duo/<dataset>/<YYYY-MM-DD_name>.csv (or its file name)")
        decide.add_argument("--reason", required=True, help="why: published in the metadata")
        decide.add_argument("--by", default=None, help="who decides (default: the login name)")
        decide.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    args = parser.parse_args(argv)
    if args.command == "trace":
        return run_trace(args)
    if args.command == "diff":
        from pipelines.publishing.diff import run_diff
        return run_diff(args)
    if args.command == "serve":
        from pipelines.publishing.site import run_serve
        return run_serve(args)
    if args.command in ("accept", "withdraw"):
        from pipelines.deliveries_admin import main_decision

        code, message = main_decision(args.warehouse, args.delivery,
                                      "accepted" if args.command == "accept" else "withdrawn", args.reason, args.by)
        print(message)
        return code
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
                              args.as_of, lock_timeout=timeout, force=args.force, baseline_year=args.baseline_year)
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
