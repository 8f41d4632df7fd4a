"""The run report: what one run saw, did, published and kept back, and why.

Written to `<state dir>/reports/<run_id>/run_report.json` (beside the run's quarantine reports and,
for the default warehouse, `state/reports/`) by `betamonitor run` after every run, including
no-change runs, blocked runs and failed runs; also recorded in the Dagster instance as metadata of
the asset `reports/run_report`. `betamonitor runs` lists the last reports, `betamonitor report
RUN_ID` prints one.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path

REPORT_NAME = "run_report.json"
REPORT_FORMAT = 1


def reports_dir(state_dir: Path) -> Path:
    return state_dir / "reports"


def report_path(state_dir: Path, run_id: str) -> Path:
    return reports_dir(state_dir) / run_id / REPORT_NAME


def write_report(state_dir: Path, report: dict) -> Path:
    path = report_path(state_dir, report["run_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{REPORT_NAME}.tmp")
    tmp.write_text(json.dumps(report, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
                   encoding="utf-8")
    os.replace(tmp, path)
    return path


def load_reports(state_dir: Path) -> list[dict]:
    """Every readable run report, newest first."""
    reports = []
    for path in reports_dir(state_dir).glob(f"*/{REPORT_NAME}"):
        try:
            reports.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return sorted(reports, key=lambda r: r.get("started", ""), reverse=True)


def find_report(state_dir: Path, run_id: str) -> dict | None:
    """A report by run id or by a unique prefix of it (the summary line shows 8 characters)."""
    exact = report_path(state_dir, run_id)
    if exact.is_file():
        return json.loads(exact.read_text(encoding="utf-8"))
    matches = [r for r in load_reports(state_dir) if r.get("run_id", "").startswith(run_id)]
    return matches[0] if len(matches) == 1 else None


# --- building a report from the job's Dagster events -------------------------------------------------

def events_section(events) -> dict:
    """Ingest, gates, publications and failures from a run's DagsterEvents (imports dagster)."""
    import dagster as dg

    ingest: dict[str, dict] = {}
    gates: dict[str, dict] = {}
    published: dict[str, dict] = {}
    failed: list[dict] = []
    not_run: list[str] = []
    checks: dict = {"passed": 0, "failed": [], "errors": []}  # dbt tests and ingest checks
    rejected_files: list[str] = []  # every input this run rejected (ingest, reference, programs, audits)
    for event in events:
        if event.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION:
            mat = event.event_specific_data.materialization
            layer, name = mat.asset_key.path[0], mat.asset_key.path[-1]
            meta = {k: v.value for k, v in mat.metadata.items()}
            rejected = meta.get("rejected") or []
            # A reference asset reports one rejection as text, the others a list: never split text.
            rejected_files.extend([rejected] if isinstance(rejected, str) else [str(r) for r in rejected])
            if layer == "landing":
                ingest[name] = _jsonable(meta)
            elif layer == "published":
                if "version" in meta:
                    # made_current: whether the run's catalog commit pointed catalog.json at it (close_run)
                    published[name] = {"version": meta["version"], "status":
                                       "published new" if meta.get("newly_written") else "unchanged",
                                       "made_current": False, "repaired": meta.get("repaired", "")}
                else:
                    published[name] = {"status": "kept back", "reason": meta.get("skipped", "not published")}
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            layer, name = evaluation.asset_key.path[0], evaluation.asset_key.path[-1]
            summary = evaluation.metadata.get("summary")
            entry = {"check": evaluation.check_name, "passed": evaluation.passed,
                     "severity": evaluation.severity.value,
                     "summary": summary.value if summary else ("passed" if evaluation.passed else "failed")}
            if evaluation.check_name == "gx_quality_gate":
                expectations, revisions, revisions_report = split_gate_summary(entry["summary"])
                accepted = evaluation.metadata.get("accepted_figures")
                gates[name] = {**entry, "expectations": expectations, "revision_check": revisions,
                               "revisions_report": revisions_report,
                               # figures beyond the revision thresholds that an acceptance released
                               "accepted_figures": _jsonable(accepted.value) if accepted else []}
            elif evaluation.passed:
                checks["passed"] += 1
            else:
                checks["failed"].append(f"{layer}/{name} {evaluation.check_name}: {entry['summary']}")
                if evaluation.severity == dg.AssetCheckSeverity.ERROR:  # a dbt test guarding the models
                    checks["errors"].append({"asset": evaluation.asset_key.to_user_string(),
                                             "check": evaluation.check_name, "summary": entry["summary"]})
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error
            if error and "DagsterAssetCheckFailedError" in error.cls_name:
                continue
            failed.append({"step": event.step_key, "error": root_cause(error)})
        elif event.event_type == dg.DagsterEventType.STEP_SKIPPED:
            not_run.append(event.step_key)
    return {"ingest": ingest, "gates": gates, "checks": checks, "published": published, "failed_steps": failed,
            "skipped_steps": not_run, "rejected_files": rejected_files}


REVISION_MARK = "; revision check: "


def split_gate_summary(text: str) -> tuple[str, list[str], str]:
    """A gate's summary (assets/gates.py: `<expectations>[; <revision check per delivery, ' | '-joined>;
    report <revisions.csv>]`) as (expectations, one text per blocking delivery, the revisions report)."""
    if REVISION_MARK not in text:
        return text, [], ""
    expectations, rest = text.split(REVISION_MARK, 1)
    rest, _, revisions_report = rest.rpartition("; report ") if "; report " in rest else (rest, "", "")
    revisions = [f"revision check: {r}" for r in rest.split(" | revision check: ")]
    return expectations, revisions, revisions_report


ANSI = re.compile(r"\x1b\[[0-9;]*m")  # dbt's colours in its log lines
DBT_MODEL_ERROR = re.compile(r"Runtime Error in model (\S+)")
DATABASE_ERROR = re.compile(r"^\s*(?:Invalid Input|Binder|Conversion|Constraint|Catalog|Out of Range) Error: (.+)$")


def root_cause(error) -> str:
    """The innermost error's first line: the reason, not Dagster's wrapper around it."""
    while error is not None and error.cause is not None:
        error = error.cause
    if error is None:
        return "unknown error"
    lines = [line for line in ANSI.sub("", error.message).strip().splitlines() if line.strip()]
    # An error a model raised on purpose (DuckDB `error()`, e.g. two deliveries that cannot be ranked)
    # or a database error in a model: its own words, not dbt's "ERROR creating sql table model".
    for before, line in zip(lines, lines[1:]):
        model, found = DBT_MODEL_ERROR.search(before), DATABASE_ERROR.search(line)
        if model and found:
            return f"dbt build failed: model {model.group(1)}: {found.group(1)}"
    if "Errors parsed from dbt logs:" in lines:  # name the dbt error, not the CLI wrapper around it
        parsed = lines[lines.index("Errors parsed from dbt logs:") + 1:]
        if parsed:
            return f"dbt build failed: {parsed[0].strip()}" + (f" ({parsed[1].strip()})" if len(parsed) > 1 else "")
    if not lines:
        return error.cls_name
    # "pipelines.publishing.publisher.PublishError: cannot publish …": our errors say it in their own words
    qualified = re.match(r"^[\w.]+\.(\w+): ", lines[0])
    return lines[0][qualified.end():] if qualified and qualified.group(1) == error.cls_name else lines[0]


def _jsonable(value):
    return json.loads(json.dumps(value, default=str))


def deliveries_section(ingest: dict) -> dict:
    """Deliveries seen, new, skipped as known and rejected, per DUO dataset (from ingest metadata)."""
    out = {"seen": 0, "new": [], "skipped_as_known": 0, "rejected": [], "quarantined_cells": 0, "by_dataset": {},
           # unknown folders and files under the raw dir (contract: reported and ignored)
           "ignored": sorted({str(note) for meta in ingest.values() for note in meta.get("ignored") or []})}
    for dataset, meta in sorted(ingest.items()):
        if "new_deliveries" not in meta:
            continue
        new, known, rejected = list(meta["new_deliveries"]), int(meta["known_deliveries"]), list(meta["rejected"])
        out["by_dataset"][dataset] = {"new": len(new), "skipped_as_known": known, "rejected": len(rejected),
                                      "quarantined_cells": int(meta.get("quarantined_cells", 0)),
                                      "folder_missing": bool(meta.get("folder_missing"))}
        out["seen"] += len(new) + known + len(rejected)
        out["new"] += new
        out["skipped_as_known"] += known
        out["rejected"] += rejected
        out["quarantined_cells"] += int(meta.get("quarantined_cells", 0))
    for name in ("program_participation", "audit_judgements"):
        if name in ingest and ingest[name].get("rejected"):
            out["rejected"] += [str(r) for r in ingest[name]["rejected"]]
    if "audit_quarantine" in ingest:
        out["quarantined_audit_rows"] = int(ingest["audit_quarantine"].get("quarantined_rows", 0))
    if "program_quarantine" in ingest:
        out["quarantined_program_rows"] = int(ingest["program_quarantine"].get("quarantined_rows", 0))
    return out


def warehouse_section(warehouse: Path, run_id: str) -> dict:
    """What the warehouse knows after the run: rejections (with reasons), cells, unclassified codes."""
    import duckdb

    from pipelines.publishing.metadata import cells_not_counted_by_type, series_without_baseline
    from pipelines.warehouse import rows_as_dicts

    out: dict = {}
    if not warehouse.exists():
        return {"note": "no warehouse"}
    try:
        con = duckdb.connect(str(warehouse), read_only=True)
    except duckdb.Error as exc:
        return {"note": f"warehouse not readable: {exc}"}
    queries = {
        "rejections": ("select dataset, delivery_file, line, column_header, reason from landing.rejections "
                       "where run_id = ? order by delivery_file, line", [run_id]),
        "cells_by_dataset": ("select dataset, count(*) as deliveries, sum(n_cells) as cells, "
                             "sum(n_quarantined) as quarantined_cells from landing.deliveries "
                             "group by dataset order by dataset", []),
        "unclassified_codes": ("select opleidingscode, opleidingsnaam, onderdeel, counted_as_betatechniek "
                               "from intermediate.int_ho_unclassified_programmes order by opleidingscode", []),
        "quarantine_blocking_figures": ("select sector, measure, year, n_quarantined from "
                                        "intermediate.int_quarantine_by_year where n_quarantined > 0 "
                                        "order by sector, measure, year", []),
    }
    # What the run left out by rule, read as the published metadata reads it (the summary's notes):
    # HO cells of the deliveries in use left out for their programme/diploma type (contract 10.3), and
    # series without data in their baseline year (10.6).
    readers = {"cells_not_counted_by_type": cells_not_counted_by_type,
               "series_without_baseline": series_without_baseline}
    try:
        for key, (sql, params) in queries.items():
            try:
                out[key] = rows_as_dicts(con, sql, params)
            except duckdb.Error as exc:
                out[key] = f"not available: {str(exc).splitlines()[0]}"
        for key, read in readers.items():
            try:
                out[key] = read(con)
            except duckdb.Error as exc:
                out[key] = f"not available: {str(exc).splitlines()[0]}"
    finally:
        con.close()
    return _jsonable(out)


def kept_back(events: dict) -> list[dict]:
    """Marts not published by this run, and why."""
    from pipelines.marts import MARTS

    out = []
    for mart in MARTS:
        if mart in events["published"] and events["published"][mart]["status"] != "kept back":
            continue
        gate = events["gates"].get(mart)
        if mart in events["published"]:
            reason = events["published"][mart].get("reason", "not published")
        elif gate and not gate["passed"]:
            reason = f"quality gate failed: {gate['summary']}"
        elif any(f["step"].endswith(mart) for f in events["failed_steps"]):
            reason = next(f["error"] for f in events["failed_steps"] if f["step"].endswith(mart))
        elif gate is None:
            reason = "not run: an upstream step failed"
        else:
            reason = "publish step did not run"
        out.append({"mart": mart, "reason": reason})
    return out


def render(report: dict) -> str:
    """The report as text for `betamonitor report RUN_ID`."""
    lines = [f"run {report['run_id']}  {report['status']} (exit {report['exit_code']})",
             f"  started {report.get('started')}  finished {report.get('finished')}  "
             f"({report.get('duration_seconds')} s)",
             f"  options {json.dumps(report.get('options', {}), sort_keys=True)}"]
    if report.get("message"):
        lines.append(f"  {report['message']}")
    d = report.get("deliveries")
    if d:
        lines.append(f"Deliveries: {d['seen']} seen, {len(d['new'])} new, {d['skipped_as_known']} skipped as known, "
                     f"{len(d['rejected'])} rejected, {d['quarantined_cells']} cells quarantined")
        lines += [f"  new       {n}" for n in d["new"]]
        lines += [f"  rejected  {r}" for r in d["rejected"]]
    w = report.get("warehouse") or {}
    if isinstance(w.get("unclassified_codes"), list) and w["unclassified_codes"]:
        lines.append("Unclassified programme codes (not in the CROHO classification):")
        lines += [f"  {u['opleidingscode']} {u['opleidingsnaam']} ({u['onderdeel']}): counted "
                  f"{'yes' if u['counted_as_betatechniek'] else 'no'}" for u in w["unclassified_codes"]]
    if isinstance(w.get("cells_by_dataset"), list) and w["cells_by_dataset"]:
        lines.append("Cells in the warehouse (all deliveries): "
                     + ", ".join(f"{c['dataset']} {c['cells']} ({c['quarantined_cells']} quarantined)"
                                 for c in w["cells_by_dataset"]))
    if report.get("gates"):
        lines.append("Quality gates:")
        lines += [f"  {'pass' if g['passed'] else 'FAIL'}  {mart}: {g['summary']}"
                  for mart, g in sorted(report["gates"].items())]
    if report.get("checks"):
        c = report["checks"]
        lines.append(f"Other checks (dbt tests, ingest): {c['passed']} passed, {len(c['failed'])} failed")
        lines += [f"  FAIL  {f}" for f in c["failed"]]
    if report.get("published"):
        lines.append("Published:")
        lines += [f"  {mart}: {p['status']}" + (f" {p['version']}" if p.get("version") else f" ({p.get('reason')})")
                  + (" (catalog re-pointed at it by this run)" if p.get("made_current") and p["status"] == "unchanged"
                     else "")
                  for mart, p in sorted(report["published"].items())]
    if report.get("kept_back"):
        lines.append("Kept back:")
        lines += [f"  {k['mart']}: {k['reason']}" for k in report["kept_back"]]
    if report.get("failed_steps"):
        lines.append("Failed steps:")
        lines += [f"  {f['step']}: {f['error']}" for f in report["failed_steps"]]
    if report.get("reasons"):
        lines.append("Reasons (numbered as in the summary):")
        lines += [f"  [{r['ref']}] {r['text']}" + (f"; all years: {r['report']}" if r.get("report") else "")
                  + (f" (marts: {', '.join(r['marts'])})" if r.get("marts") else "") for r in report["reasons"]]
    return "\n".join(lines) + "\n"


def render_list(reports: list[dict], limit: int) -> str:
    lines = [f"{'run id':36}  {'started':25}  {'seconds':>7}  {'exit':>4}  status / published"]
    for r in reports[:limit]:
        published = r.get("published") or {}
        new = sum(1 for p in published.values() if p.get("status") == "published new")
        same = sum(1 for p in published.values() if p.get("status") == "unchanged")
        detail = f"{new} new, {same} unchanged, {len(r.get('kept_back') or [])} kept back" if published or \
            r.get("kept_back") else (r.get("message") or "")
        lines.append(f"{r['run_id']:36}  {r.get('started', ''):25}  {r.get('duration_seconds', ''):>7}  "
                     f"{r.get('exit_code', ''):>4}  {r['status']}: {detail}")
    return "\n".join(lines) + "\n"


def job_sections(events, warehouse: Path, run_id: str) -> dict:
    """The report sections of a finished job run, from its DagsterEvents and the warehouse."""
    sections = events_section(events)
    return {
        "deliveries": deliveries_section(sections["ingest"]), "warehouse": warehouse_section(warehouse, run_id),
        "gates": sections["gates"], "checks": sections["checks"], "published": sections["published"],
        "kept_back": kept_back(sections), "failed_steps": sections["failed_steps"],
        "skipped_steps": sections["skipped_steps"], "rejected_files": sections["rejected_files"]}


def report_daemon_run(instance, run, settings) -> Path | None:
    """For runs the Dagster daemon started (schedule, sensor, launchpad): close the run (catalog commit,
    outcome) from its event log and write its report. Runs of `betamonitor run` (tag
    betamonitor/launched_by=cli) close and report themselves."""
    from orchestration.outcome import close_run

    state_dir = settings.state_dir
    if run.tags.get("betamonitor/launched_by") == "cli" or report_path(state_dir, run.run_id).exists():
        return None
    records = instance.all_logs(run.run_id)
    outcome = close_run(run.run_id, [r.dagster_event for r in records if r.is_dagster_event], settings)
    stats = instance.get_run_stats(run.run_id)
    started = datetime.fromtimestamp(stats.start_time, timezone.utc).isoformat(timespec="milliseconds") \
        if stats.start_time else ""
    finished = datetime.fromtimestamp(stats.end_time, timezone.utc).isoformat(timespec="milliseconds") \
        if stats.end_time else ""
    report = {"format": REPORT_FORMAT, "run_id": run.run_id, "started": started, "finished": finished,
              "duration_seconds": round(stats.end_time - stats.start_time, 2)
              if stats.start_time and stats.end_time else None,
              "launched_by": "dagster", "options": {"warehouse": str(settings.warehouse)},
              "summary": outcome.line(), **outcome.report_fields()}
    return write_report(state_dir, report)
