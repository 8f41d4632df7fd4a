"""Benchmark of the nightly job: wall time and peak memory per stage (ingest, dbt, gates, publish).

Not a test: timings on a shared 2-core machine are noisy; every scenario runs in a fresh
subprocess and the small ones are repeated (the table shows the fastest repetition).

Scenarios (see docs/benchmarks.md):
  cold         the whole job on an empty warehouse and publish directory
  no-change    the job again on the same inputs (nothing new)
  new-delivery the job after one new ho_eerstejaars delivery lands
  full xN      a cold run on the sample scaled N times (more institutions and programmes)
  floor xN     one DuckDB query computing sector_growth's values straight from the raw files

    .venv/bin/python benchmarks/pipeline_benchmark.py                      # scales 1,10,100
    .venv/bin/python benchmarks/pipeline_benchmark.py --scales 1,10 --repeat 2
    .venv/bin/python benchmarks/pipeline_benchmark.py --quick              # the sample only, once

Stage times come from Dagster's STEP_START / STEP_SUCCESS (or STEP_FAILURE) events, grouped by step
key; `other` is the rest of the scenario's wall time (interpreter start, imports, building the
definitions, Dagster's run start and end). Stage memory is the largest resident set size (RSS)
sampled every 50 ms while the stage's steps ran, of the job process plus its children (dbt runs in
the job's process since issue 18, so the job's numbers include it); `peak` is the exact high-water
mark of the job process and of its largest child (`getrusage` ru_maxrss).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

STAGES = ("ingest", "dbt", "gates", "publish")
SAMPLE_EVERY_S = 0.05


# --- the worker: one scenario in its own process ---------------------------------------------------

def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, IndexError, ValueError):
        return 0


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


class RssSampler(threading.Thread):
    """Samples the RSS of this process and all its descendants: (time.time(), kB)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self._halt.is_set():
            self.samples.append((time.time(), sum(_rss_kb(pid) for pid in _descendants(me))))
            self._halt.wait(SAMPLE_EVERY_S)

    def stop(self) -> None:
        self._halt.set()
        self.join()


def stage_of(step_key: str) -> str:
    if step_key.startswith("published"):
        return "publish"
    if "gx_quality_gate" in step_key:
        return "gates"
    if "dbt" in step_key:
        return "dbt"
    return "ingest"


def _capture_step_windows(store: list) -> None:
    """Wrap JobDefinition.execute_in_process so the run's step events (with timestamps) are kept.

    Benchmark-only instrumentation: `betamonitor run` itself is called unchanged, whichever
    instance it uses; when it passes none, an ephemeral one is supplied so the events can be read.
    """
    import dagster as dg

    original = dg.JobDefinition.execute_in_process

    def execute_in_process(self, *args, **kwargs):
        instance = kwargs.get("instance") or dg.DagsterInstance.ephemeral()
        kwargs["instance"] = instance
        result = original(self, *args, **kwargs)
        starts: dict[str, float] = {}
        for entry in instance.all_logs(result.run_id):
            event = entry.dagster_event
            if event is None or not entry.step_key:
                continue
            if event.event_type == dg.DagsterEventType.STEP_START:
                starts[entry.step_key] = entry.timestamp
            elif event.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
                if entry.step_key in starts:
                    store.append((entry.step_key, starts.pop(entry.step_key), entry.timestamp,
                                  event.event_type == dg.DagsterEventType.STEP_SUCCESS))
        return result

    dg.JobDefinition.execute_in_process = execute_in_process


def worker_job(raw: Path, publish: Path, warehouse: Path) -> dict:
    started = time.time()
    sampler = RssSampler()
    sampler.start()
    from orchestration.job_run import run_job
    from pipelines.settings import RunSettings
    from pipelines.ingest import guards

    # The scaled samples exceed the declared per-delivery maximum on purpose (x100: up to ~85 MB per
    # file, dbt var max_delivery_bytes is 50 MB): the benchmark measures throughput, so its own worker
    # process lifts that one guard; the growth rule still applies (every file is scaled alike).
    declared = guards.delivery_size_limits()
    guards.delivery_size_limits = lambda: dataclasses.replace(declared, max_bytes=1 << 40)

    steps: list = []
    _capture_step_windows(steps)
    summary = run_job(RunSettings(raw_dir=str(raw), publish_dir=str(publish), warehouse=str(warehouse)))
    ended = time.time()
    sampler.stop()
    stages = {}
    for stage in STAGES:
        windows = [(s, e) for key, s, e, _ in steps if stage_of(key) == stage]
        seconds = sum(e - s for s, e in windows)
        rss = [kb for t, kb in sampler.samples if any(s <= t <= e for s, e in windows)]
        # a step shorter than the sampling interval: the sample nearest to its start
        rss += [min(sampler.samples, key=lambda x: abs(x[0] - s))[1] for s, e in windows
                if sampler.samples and not any(s <= t <= e for t, _ in sampler.samples)]
        stages[stage] = {"s": seconds, "rss_mb": max(rss, default=0) / 1024, "steps": len(windows)}
    return {
        "wall_s": ended - started,
        "stages": stages,
        "failed_steps": [key for key, _, _, ok in steps if not ok],
        "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "peak_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "cpu_s": _cpu_seconds(),
        "peak_sampled_mb": max((kb for _, kb in sampler.samples), default=0) / 1024,
        "exit_code": summary.exit_code,
        "summary": summary.line(),
    }


def _cpu_seconds() -> float:
    """User + system CPU time of this process and its waited-for children: less sensitive to a busy
    machine than wall time."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def worker_floor(raw: Path) -> dict:
    started = time.time()
    from floor import compute_floor

    rows = compute_floor(raw)
    return {
        "wall_s": time.time() - started,
        "peak_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "cpu_s": _cpu_seconds(),
        "rows": [[str(v) for v in row] for row in rows],
    }


# --- the driver -------------------------------------------------------------------------------------

def run_worker(kind: str, *paths: Path, timeout: float | None = None) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        result_path = Path(out.name)
    started = time.time()
    try:
        proc = subprocess.run([sys.executable, __file__, f"_{kind}", str(result_path), *map(str, paths)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout,
                              env={**os.environ, "BETAMONITOR_LOG_LEVEL": "WARNING"})
    except subprocess.TimeoutExpired:
        result_path.unlink(missing_ok=True)
        return {"error": f"timed out after {timeout:.0f} s"}
    if proc.returncode != 0 or not result_path.stat().st_size:
        result_path.unlink(missing_ok=True)
        tail = "\n".join(proc.stdout.splitlines()[-15:])
        return {"error": f"worker exited {proc.returncode}:\n{tail}"}
    result = json.loads(result_path.read_text())
    result_path.unlink()
    result["process_wall_s"] = time.time() - started  # incl. interpreter start and imports
    return result


def best(results: list[dict]) -> dict:
    ok = [r for r in results if "error" not in r]
    if not ok:
        return results[-1]
    chosen = dict(min(ok, key=lambda r: r["process_wall_s"]))
    chosen["repeats"] = len(ok)
    chosen["all_walls"] = [round(r["process_wall_s"], 1) for r in ok]
    return chosen


def job_dirs(work: Path, name: str) -> tuple[Path, Path]:
    base = work / name
    return base / "published", base / "state" / "warehouse.duckdb"


def snapshot(work: Path, src: str, dst: str) -> None:
    if (work / dst).exists():
        shutil.rmtree(work / dst)
    shutil.copytree(work / src, work / dst)


def sample_scenarios(work: Path, raw: Path, repeat: int, timeout: float, log) -> dict[str, dict]:
    """cold, no-change and new-delivery on the (unscaled) sample."""
    results: dict[str, dict] = {}
    colds = []
    for i in range(repeat):
        publish, warehouse = job_dirs(work, f"cold{i}")
        colds.append(run_worker("job", raw, publish, warehouse, timeout=timeout))
        log("cold", colds[-1])
    results["cold"] = best(colds)

    # no-change: runs 2..n on the state of the first cold run
    publish, warehouse = job_dirs(work, "cold0")
    snapshot(work, "cold0", "base")  # the state before anything else happened
    no_changes = []
    for _ in range(repeat):
        no_changes.append(run_worker("job", raw, publish, warehouse, timeout=timeout))
        log("no-change", no_changes[-1])
    results["no-change"] = best(no_changes)

    # one new delivery, each repetition from the state after the cold run
    from scaling import add_new_delivery

    new_raw = work / "raw_new_delivery"
    shutil.copytree(raw, new_raw)
    added = add_new_delivery(new_raw)
    # It restates four years by more than the revision check lets through: accepted up front (as an
    # engineer would after reading the report), so the scenario measures a run that publishes.
    from datetime import datetime

    from pipelines.deliveries_admin import record_decision

    record_decision(new_raw, added.relative_to(new_raw).as_posix(), "accepted",
                    "benchmark: a restating delivery, accepted so that the run publishes",
                    decided_by="benchmark", now=datetime(2026, 1, 1))
    news = []
    for i in range(repeat):
        snapshot(work, "base", f"new{i}")
        publish, warehouse = job_dirs(work, f"new{i}")
        news.append(run_worker("job", new_raw, publish, warehouse, timeout=timeout))
        log("new-delivery", news[-1])
    results["new-delivery"] = best(news)
    results["new-delivery"]["note"] = added.relative_to(new_raw).as_posix()
    return results


def compare_floor(floor: dict, publish: Path) -> str:
    """How many of the published sector_growth rows the floor reproduces (value and growth_pct)."""
    import csv

    catalog = publish / "catalog.json"
    if "rows" not in floor or not catalog.exists():
        return "not compared"
    entry = json.loads(catalog.read_text())["marts"].get("sector_growth")
    if not entry:
        return "not compared (sector_growth not published)"
    data = publish / "sector_growth" / entry["version"] / "data.csv"
    with data.open(encoding="utf-8") as fh:
        published = {(r["sector"], r["measure"], r["year"]): (r["value"], r["growth_pct"]) for r in csv.DictReader(fh)}
    mine = {(s, m, y): (v, g) for s, m, y, v, _, g in floor["rows"]}
    same = sum(1 for k, (v, g) in published.items()
               if k in mine and float(mine[k][0]) == float(v) and (mine[k][1] == g or float(mine[k][1]) == float(g)))
    return f"{same}/{len(published)} published rows reproduced"


def fmt_row(name: str, r: dict) -> str:
    if "error" in r:
        return f"| {name} | {r['error'].splitlines()[0]} |" + " |" * 10
    st = r.get("stages")
    cells = [f"{r['process_wall_s']:.1f}", f"{r['cpu_s']:.1f}" if "cpu_s" in r else "-"]
    if st:
        for stage in STAGES:
            cells.append(f"{st[stage]['s']:.1f} / {st[stage]['rss_mb']:,.0f}" if st[stage]["steps"] else "-")
        accounted = sum(st[s]["s"] for s in STAGES)
        cells.append(f"{r['process_wall_s'] - accounted:.1f}")
        cells.append(f"{r['peak_self_mb']:,.0f} / {r['peak_children_mb']:,.0f}")
        cells.append(f"exit {r['exit_code']}")
    else:
        cells += ["-"] * 5 + [f"{r['peak_self_mb']:,.0f} / -", r.get("note", "")]
    reps = r.get("all_walls")
    cells.append(", ".join(map(str, reps)) if reps and len(reps) > 1 else "")
    return f"| {name} | " + " | ".join(cells) + " |"


HEADER = ("| scenario | wall s | cpu s | ingest s / MB | dbt s / MB | gates s / MB | publish s / MB | other s "
          "| peak MB job / child | result | walls of repeats |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")


def aims_table(measured: dict[int, dict]) -> list[str]:
    """Issue 18's aims per scale: ingest against the floor for the same files, the full run's CPU and
    peak memory against the sample's cold run (x1)."""
    if 1 not in measured:
        return []
    cold = measured[1]["full"]
    rows = ["| scale | ingest s | floor s (cpu s) | ingest / floor | run cpu s | cpu / cold x1 | peak MB job "
            "| peak / cold x1 | peak MB job + dbt (sampled) |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for scale, m in sorted(measured.items()):
        full, floor = m["full"], m["floor"]
        ingest = full["stages"]["ingest"]["s"]
        rows.append(f"| x{scale} | {ingest:.1f} | {floor['process_wall_s']:.1f} ({floor['cpu_s']:.1f}) "
                    f"| {ingest / floor['process_wall_s']:.1f} | {full['cpu_s']:.1f} "
                    f"| {full['cpu_s'] / cold['cpu_s']:.2f} | {full['peak_self_mb']:,.0f} "
                    f"| {full['peak_self_mb'] / cold['peak_self_mb']:.2f} | {full['peak_sampled_mb']:,.0f} |")
    return rows


def machine() -> str:
    import dagster
    import dbt.version
    import duckdb

    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return (f"{os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))}), {int(mem) / 1024 / 1024:.1f} GiB RAM, "
            f"{platform.platform()}; Python {platform.python_version()}, duckdb {duckdb.__version__}, "
            f"dbt-core {dbt.version.__version__}, dagster {dagster.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100",
                        help="comma-separated scale factors for full runs and the floor (default 1,10,100); "
                             "1 also runs the cold / no-change / new-delivery scenarios")
    parser.add_argument("--repeat", type=int, default=2, help="repetitions of each sample scenario (default 2)")
    parser.add_argument("--scaled-repeat", type=int, default=1, help="repetitions of each scaled run (default 1)")
    parser.add_argument("--quick", action="store_true", help="the sample only (scale 1), once")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per scenario run (default 1800)")
    parser.add_argument("--markdown", type=Path, default=None, help="also write the table to this file")
    parser.add_argument("--keep", type=Path, default=None, help="work here (kept) instead of a temporary folder")
    args = parser.parse_args()
    scales = [1] if args.quick else [int(s) for s in args.scales.split(",") if s.strip()]
    repeat = 1 if args.quick else args.repeat

    from pipelines.paths import REPO_ROOT
    from scaling import scale_raw

    lines = [f"machine: {machine()}", "", HEADER]

    def log(name: str, r: dict) -> None:
        text = r.get("error") or f"{r['process_wall_s']:.1f} s, {r.get('summary', '')}"
        print(f"  {name}: {text}", flush=True)

    measured: dict[int, dict] = {}  # scale -> {"full": ..., "floor": ...} for the aims below
    work_ctx = tempfile.TemporaryDirectory(prefix="betamonitor-bench-") if args.keep is None else None
    work = Path(work_ctx.name) if work_ctx else args.keep
    work.mkdir(parents=True, exist_ok=True)
    try:
        for scale in scales:
            raw = work / f"raw_x{scale}"
            if raw.exists():
                shutil.rmtree(raw)
            started = time.time()
            n_lines = scale_raw(REPO_ROOT / "raw", raw, scale)
            size = sum(p.stat().st_size for p in raw.rglob("*") if p.is_file()) / 1e6
            print(f"x{scale}: {n_lines:,} DUO data lines, {size:.1f} MB raw (generated in {time.time() - started:.0f} s)",
                  flush=True)
            scenario_dir = work / f"x{scale}"
            scenario_dir.mkdir(exist_ok=True)
            results: dict = {}
            if scale == 1:
                results = sample_scenarios(scenario_dir, raw, repeat, args.timeout, log)
                full = results["cold"]
                publish = job_dirs(scenario_dir, "cold0")[0]
                for name in ("cold", "no-change", "new-delivery"):
                    lines.append(fmt_row(f"{name} x1 ({n_lines:,} lines)", results[name]))
            else:
                runs = []
                for i in range(args.scaled_repeat):
                    publish, warehouse = job_dirs(scenario_dir, f"full{i}")
                    runs.append(run_worker("job", raw, publish, warehouse, timeout=args.timeout))
                    log(f"full x{scale}", runs[-1])
                full = best(runs)
                lines.append(fmt_row(f"full x{scale} ({n_lines:,} lines, {size:.0f} MB)", full))
            floors = [run_worker("floor", raw, timeout=args.timeout) for _ in range(repeat)]
            floor = best(floors)
            floor["note"] = compare_floor(floor, publish)
            log(f"floor x{scale}", floor)
            lines.append(fmt_row(f"floor x{scale}", floor))
            if "error" not in full and "error" not in floor:
                lines.append(f"|  ratio run / floor x{scale} | {full['process_wall_s'] / floor['process_wall_s']:.0f} |"
                             + " |" * 9)
                measured[scale] = {"full": full, "floor": floor}
            shutil.rmtree(raw)
            shutil.rmtree(scenario_dir, ignore_errors=True)
            if args.markdown:  # after every scale, so a long run that is stopped keeps what it measured
                args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
                with args.markdown.with_suffix(".jsonl").open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({"scale": scale, "lines": n_lines, "mb": size,
                                         "results": results if scale == 1 else {"full": full},
                                         "floor": {k: v for k, v in floor.items() if k != "rows"}}) + "\n")
    finally:
        if work_ctx:
            work_ctx.cleanup()
    lines += ["", *aims_table(measured)]
    table = "\n".join(lines)
    print()
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] in ("_job", "_floor"):
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
        os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        out, *rest = sys.argv[2:]
        result = worker_job(*map(Path, rest)) if sys.argv[1] == "_job" else worker_floor(Path(rest[0]))
        Path(out).write_text(json.dumps(result), encoding="utf-8")
    else:
        main()
