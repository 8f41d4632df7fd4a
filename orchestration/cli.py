"""`betamonitor run`: the nightly Dagster job, in-process, with a one-line summary and exit code.

Exit codes (orchestration/exit_codes.py): 0 every mart published; 2 a quality gate blocked a
publish; 1 any other failure (a rejected input file: its data is not used, the last good data and
publication stay; a missing raw dir, an unwritable publish dir, a corrupt warehouse; another run
holding the warehouse past the lock timeout); 64 a usage error (an unknown flag, a bad option
value). `betamonitor runs` lists the last runs, `betamonitor report RUN_ID` prints one run's report
(orchestration/report.py).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from orchestration.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from pipelines.paths import DEFAULT_PUBLISH_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE


class UsageError(Exception):
    """A wrong command line: exit 64, never the code of a blocked gate (2)."""


class Parser(argparse.ArgumentParser):
    """argparse exits 2 on a usage error, the code of a blocked gate: raise instead (exit 64)."""

    def error(self, message: str):
        raise UsageError(f"{self.prog}: {message}")


def betamonitor_version() -> str:
    from importlib.metadata import version

    return f"betamonitor {version('betamonitor')}"


def year(text: str) -> int:
    if not text.isdigit() or len(text) != 4:
        raise argparse.ArgumentTypeError(f"must be a 4-digit year, got {text!r}")
    return int(text)


def seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {text!r}")
    return value


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
        try:
            written = write_outputs(result, args.out)
        except OSError as exc:
            print(f"betamonitor trace: cannot write to {args.out}: {exc.strerror or exc} ({exc.filename or args.out})")
            return EXIT_FAILED
        for path in written:
            print(f"wrote {path}")
    return EXIT_OK if result.matches else EXIT_FAILED


def entry() -> None:
    """The `betamonitor` command and `python -m orchestration.cli`: main(), then exit. gc.freeze() first:
    the interpreter's last garbage collections would otherwise walk everything a run imported and made
    (dagster, dbt's adapter classes, GX, pandas) only to free memory the OS takes back anyway, about
    1.5 s of CPU per run. Frozen objects are still freed and atexit handlers still run. (Not in main():
    tests call it in their own process.)"""
    code = main()
    sys.stdout.flush()
    gc.freeze()
    sys.exit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"{exc} (see betamonitor --help)", file=sys.stderr)
        return EXIT_USAGE
    return dispatch(args)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="betamonitor", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=betamonitor_version())
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    run = sub.add_parser("run", help="run the nightly job on a raw directory and publish the marts")
    run.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR)
    run.add_argument("--publish-dir", type=Path, default=DEFAULT_PUBLISH_DIR)
    run.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE)
    run.add_argument("--as-of", default="", metavar="YYYY-MM-DD",
                     help="only deliveries dated on or before this date count")
    run.add_argument("--baseline-year", type=year, default=0, metavar="YYYY",
                     help="index every series on this year (default 2000); a series without it publishes "
                          "its values with empty index and growth")
    run.add_argument("--lock-timeout", type=seconds, default=None, metavar="SECONDS",
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
    trace.add_argument("mart", help="sector_growth, institution_growth, program_growth, gender_shares or "
                                    "regional_growth")
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
    for name, verb in (("accept", "accept a restatement the revision check blocks (recorded in "
                                  "<raw-dir>/decisions.csv: who, when, why)"),
                       ("withdraw", "take a bad delivery out of use (recorded in <raw-dir>/decisions.csv; the "
                                    "file stays in raw/)")):
        decide = sub.add_parser(name, help=verb)
        decide.add_argument("delivery", help="duo/<dataset>/<YYYY-MM-DD_name>.csv (or its file name)")
        decide.add_argument("--reason", required=True, help="why: published in the metadata")
        decide.add_argument("--by", default=None, help="who decides (default: the login name)")
        decide.add_argument("--raw-dir", type=Path, default=DEFAULT_RAW_DIR,
                            help="the raw directory holding the delivery and decisions.csv (no warehouse needed)")
        decide.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE,
                            help="its run reports name the figures an acceptance releases (optional)")
    return parser


def dispatch(args) -> int:
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

        code, message = main_decision(args.raw_dir, args.delivery,
                                      "accepted" if args.command == "accept" else "withdrawn", args.reason, args.by,
                                      state_dir=args.warehouse.resolve().parent)
        print(message)
        return code
    if args.command in ("runs", "report"):
        return show_runs(args)
    return run_nightly(args)


def run_nightly(args) -> int:
    """Pre-flight checks, lock, no-change check, the job, the run report (orchestration/nightly.py)."""
    from orchestration.nightly import execute_run
    from orchestration.preflight import PreflightError
    from pipelines.runs.lock import lock_timeout_from_env
    from pipelines.settings import RunSettings

    try:
        settings = RunSettings(
            raw_dir=str(args.raw_dir), publish_dir=str(args.publish_dir), warehouse=str(args.warehouse),
            as_of=args.as_of, baseline_year=args.baseline_year, force=args.force,
            lock_timeout=args.lock_timeout if args.lock_timeout is not None else lock_timeout_from_env())
        settings.dbt_vars()  # validates --as-of and --baseline-year
    except ValueError as exc:  # a bad option value: a usage error
        print(f"betamonitor run: {exc} (see betamonitor run --help)", file=sys.stderr)
        return EXIT_USAGE
    try:
        result = execute_run(settings)
    except PreflightError as exc:
        print(f"betamonitor run: not started: {exc}")
        return EXIT_FAILED
    except Exception as exc:  # a failure before the job could start: still one line, exit 1
        print(f"betamonitor run: failed before the job ran: {exc}")
        return EXIT_FAILED
    print(result.line)
    return result.exit_code


def show_runs(args) -> int:
    """`betamonitor runs` and `betamonitor report RUN_ID`: read the run reports beside the warehouse."""
    import json

    from orchestration.report import find_report, load_reports, render, render_list

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
    entry()
