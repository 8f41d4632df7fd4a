"""Running the nightly Dagster job in this process, and the summary of what it did.

The summary is read from the run report's sections (orchestration/report.py, one reading of the
job's events and the warehouse): a header line, one line per mart, each distinct reason once
(numbered), and the report's path. Its exit code (orchestration/exit_codes.py) follows from them.
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from orchestration.definitions import JOB_NAME, build_definitions
from orchestration.exit_codes import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK
from orchestration.instance import open_instance
from orchestration.report import job_sections  # one reading of the events: the run report's sections
from pipelines.lineage import upstream_marts
from pipelines.marts import MARTS
from pipelines.settings import RunSettings

CLI_TAG = "betamonitor/launched_by"  # runs of `betamonitor run` (their report is written by it, not a sensor)


LINE_LIMIT = 200  # characters a summary line aims at, paths not counted (the run report has the rest)
_PATH = re.compile(r"\S*/\S*")


def visible_len(text: str) -> int:
    """A line's length without its paths (file names are given whole, however long)."""
    return len(_PATH.sub("", text))


def clip(text: str, limit: int = LINE_LIMIT) -> str:
    """`text` cut to `limit` (paths not counted): whole `; ` clauses off its end, else at a word, keeping
    a short last clause (the remedy)."""
    if visible_len(text) <= limit:
        return text
    indent = text[:len(text) - len(text.lstrip(" "))]
    head, sep, tail = text.strip(" ").rpartition("; ")
    keep = f"; {tail}" if sep and visible_len(tail) <= 60 else ""
    clauses = head.split("; ") if keep else []
    for k in range(len(clauses) - 1, 0, -1):
        shorter = f"{indent}{'; '.join(clauses[:k])} …{keep}"
        if visible_len(shorter) <= limit:
            return shorter
    out = indent
    for word in (head if keep else text.strip(" ")).split(" "):
        candidate = f"{out} {word}" if out.strip() else out + word
        if out.strip() and visible_len(f"{candidate} …{keep}") > limit:
            break
        out = candidate
    return f"{out} …{keep}"


def fit_items(prefix: str, items: list[str], suffix: str = "", limit: int = LINE_LIMIT, sep: str = ", ") -> str:
    """prefix + as many items as fit + "… and N more" + suffix."""
    for k in range(len(items), 0, -1):
        more = f"{sep}… and {len(items) - k} more" if k < len(items) else ""
        text = f"{prefix}{sep.join(items[:k])}{more}{suffix}"
        if visible_len(text) <= limit or k == 1:
            return text
    return f"{prefix}{suffix}"


def _name(text: str) -> str:
    """The mart of a summary entry: `mart@version` or `mart (detail)`."""
    return text.split("@", 1)[0].split(" ", 1)[0]


def _detail(text: str) -> str:
    """The detail of a `mart (detail)` entry."""
    rest = text.split(" ", 1)[1] if " " in text else ""
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest


@dataclass
class RunSummary:
    """What one job run did, read from its run report's sections (orchestration/report.py): the
    entries are `mart@version` or `mart (detail)`; `outcome()` gives each mart's status and the
    distinct reasons (each once, numbered), `line()` the printed summary."""
    run_id: str
    published: list[str] = field(default_factory=list)  # written as a new version by this run
    unchanged: list[str] = field(default_factory=list)  # identical data: the existing version stays current
    blocked: list[str] = field(default_factory=list)  # mart (its gate's summary)
    not_published: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)  # step: cause, or dbt test … failed
    held_back: list[str] = field(default_factory=list)
    # What the run left out by rule (the report's warehouse section): cells not counted by type,
    # series without data in their baseline year.
    not_counted: list[dict] = field(default_factory=list)
    without_baseline: list[dict] = field(default_factory=list)
    sections: dict = field(default_factory=dict, repr=False)  # the run report's sections it was read from
    report_path: str = ""  # the run report, named on the last line

    @property
    def exit_code(self) -> int:
        if self.failed_steps:  # a runtime error (dbt, a bug) is not a quality gate: exit 1
            return EXIT_FAILED
        if self.blocked or self.held_back:
            return EXIT_GATE_BLOCKED
        if self.rejected:
            return EXIT_FAILED
        return EXIT_OK

    @classmethod
    def from_sections(cls, run_id: str, sections: dict) -> RunSummary:
        """The summary of the report sections `report.job_sections` read from the job's events."""
        summary = cls(run_id=run_id, sections=sections)
        for mart, p in sections.get("published", {}).items():
            if "version" in p:
                target = summary.published if p["status"] == "published new" else summary.unchanged
                target.append(f"{mart}@{p['version']}")
            else:
                summary.not_published.append(f"{mart} (no input data)")
        summary.rejected = list(sections.get("rejected_files", []))
        for mart, gate in sections.get("gates", {}).items():
            if not gate["passed"] and gate["severity"] == dg.AssetCheckSeverity.ERROR.value:
                summary.blocked.append(f"{mart} ({gate['summary']})")
        # A dbt test guards the models: a failure is a failed run, not a gate.
        summary.failed_steps += [f"dbt test {e['check']} on {e['asset']} failed"
                                 for e in sections.get("checks", {}).get("errors", [])]
        for failure in sections.get("failed_steps", []):
            if failure["error"].startswith("held back:"):
                summary.held_back.append(f"{failure['step'].removeprefix('published__')} ({failure['error']})")
            else:
                summary.failed_steps.append(f"{failure['step']}: {failure['error']}")
        summary.held_back.extend(held_back_reasons(summary))
        warehouse = sections.get("warehouse") or {}
        summary.not_counted = _rows(warehouse.get("cells_not_counted_by_type"))
        summary.without_baseline = _rows(warehouse.get("series_without_baseline"))
        return summary

    def outcome(self) -> dict:
        """Each mart's status, and the reasons (a revision of a delivery, a rejected file, a failed step,
        a counting note) each once, numbered: the summary prints them cut, the run report whole."""
        from orchestration.report import split_gate_summary

        reasons: list[dict] = []

        def ref(kind: str, text: str, mart: str | None = None, **extra) -> int:
            for r in reasons:
                if (r["kind"], r["text"]) == (kind, text):
                    break
            else:
                r = {"ref": len(reasons) + 1, "kind": kind, "text": text, "marts": [], **extra}
                reasons.append(r)
            if mart and mart not in r["marts"]:
                r["marts"].append(mart)
            return r["ref"]

        marts: dict[str, dict] = {}
        for entry in self.published + self.unchanged:
            marts[_name(entry)] = {"status": "published new" if entry in self.published else "unchanged",
                                   "version": entry.split("@", 1)[1]}
        for entry in self.blocked:
            mart = _name(entry)
            expectations, revisions, revisions_report = split_gate_summary(_detail(entry))
            gate_failed = " expectations failed" in expectations or not revisions
            marts[mart] = {"status": "blocked", "gate": expectations if gate_failed else None,
                           "reasons": [ref("revision", r, mart, report=revisions_report) for r in revisions]}
        for entry in self.held_back:
            marts.setdefault(_name(entry), {"status": "held back",
                                            "detail": _detail(entry).removeprefix("held back: ")})
        for entry in self.not_published:
            marts.setdefault(_name(entry), {"status": "not published", "detail": _detail(entry)})
        run_failures = []
        for failure in self.failed_steps:
            step = failure.split(": ", 1)[0]
            mart = step.removeprefix("published__")
            if mart in MARTS and mart not in marts:
                marts[mart] = {"status": "failed", "detail": failure.split(": ", 1)[1]}
            else:
                run_failures.append(failure)
        for mart in MARTS:
            if mart not in marts:  # no event of its own: an earlier step failed, or the job stopped
                marts[mart] = {"status": "not run", "reasons": [ref("failed", f) for f in run_failures]}
        order = list(MARTS) + [m for m in marts if m not in MARTS]
        for failure in run_failures:
            ref("failed", failure)
        for rejected in self.rejected:
            ref("rejected", rejected)
        for row in self.not_counted:
            ref("not counted", f"not counted: {row['n_cells']} cells of type '{row['programme_type']}' in "
                               f"{row['dataset']} ({row['reason']})", items=[row])
        by_year: dict = {}
        for row in self.without_baseline:
            by_year.setdefault(row["baseline_year"], []).append(row)
        for year, rows in by_year.items():
            series = [f"{r['sector']} {r['measure']}" for r in rows]
            text = (f"{series[0]}: {rows[0]['reason']}" if len(rows) == 1 else
                    f"no data in baseline year {year} for {len(rows)} series ({', '.join(series)}): "
                    "index and growth_pct are empty; choose another with --baseline-year")
            ref("no baseline", text, items=rows, series=series, baseline_year=year)
        return {"marts": {m: marts[m] for m in order}, "reasons": reasons}

    def line(self) -> str:
        """The printed summary: a header (`betamonitor run <id>: published new: N; unchanged: N; blocked: N…`),
        one line per mart, the reasons each once (numbered, as the mart lines refer to them), the report."""
        outcome = self.outcome()
        statuses = [m["status"] for m in outcome["marts"].values()]
        counts = [f"published new: {len(self.published)}", f"unchanged: {len(self.unchanged)}",
                  f"blocked: {len(self.blocked)}"]
        for label, n in (("held back", statuses.count("held back")), ("not published", len(self.not_published)),
                         ("not run", statuses.count("not run")), ("rejected files", len(self.rejected)),
                         ("failed steps", len(self.failed_steps))):
            if n:
                counts.append(f"{label}: {n}")
        lines = [f"betamonitor run {self.run_id[:8]}: " + "; ".join(counts)]
        lines += [clip(f"  {mart}: {_mart_text(m)}") for mart, m in outcome["marts"].items()]
        if outcome["reasons"]:
            lines.append("reasons:")
            lines += [_reason_line(r) for r in outcome["reasons"]]
        if self.report_path:
            path = Path(self.report_path)
            # the per-mart figure revision reports (up to one per mart) after the others
            beside = sorted((p.name for p in path.parent.glob("*") if p.name != path.name
                             and not p.name.startswith(".")),
                            key=lambda n: (n.startswith("figure_revisions_"), n)) if path.parent.is_dir() else []
            lines.append(fit_items(f"report: {path} (beside it: ", beside, ")") if beside else f"report: {path}")
        return "\n".join(lines)


def _rows(value) -> list[dict]:
    return value if isinstance(value, list) else []  # "not available: …" when the job stopped before dbt


def _refs(refs: list[int]) -> str:
    return ", ".join(f"[{r}]" for r in refs)


def _mart_text(m: dict) -> str:
    status = m["status"]
    if "version" in m:
        return f"{status} {m['version']}"
    if status == "blocked":
        parts = []
        if m["gate"]:
            expectations = m["gate"].split(": ", 1)[1] if m["gate"].startswith("gate ") else m["gate"]
            head, sep, failed = expectations.partition(" failed: ")
            parts.append(fit_items(f"gate ({head}{sep}", failed.split("; "), ")", sep="; ", limit=120)
                         if sep else f"gate ({expectations})")
        if m["reasons"]:
            parts.append(_refs(m["reasons"]))
        return "blocked by " + " and ".join(parts)
    if status == "not run":
        return "not run" + (f": an earlier step failed {_refs(m['reasons'])}" if m["reasons"] else "")
    if status == "failed":
        return f"failed: {m['detail']}"
    return f"{status} ({m['detail']})"


def _reason_line(r: dict) -> str:
    prefix = f"  [{r['ref']}] "
    if r["kind"] == "no baseline" and len(r["series"]) > 1:
        return fit_items(f"{prefix}no data in baseline year {r['baseline_year']} for {len(r['series'])} series (",
                         r["series"], "): index and growth_pct are empty; choose another with --baseline-year")
    if r["kind"] == "rejected":
        return clip(f"{prefix}rejected: {r['text']}")
    if r["kind"] == "failed":
        return clip(f"{prefix}failed: {r['text']}")
    return clip(prefix + r["text"])


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
    _, sections = job_sections(result.all_events, warehouse, result.run_id)
    return RunSummary.from_sections(result.run_id, sections)


def held_back_reasons(summary: RunSummary) -> list[str]:
    """Marts whose publish step did not run because a mart they are built on was blocked (Dagster
    skips such steps without an event of their own): name the mart and its gate."""
    accounted = {_name(t) for t in summary.published + summary.unchanged + summary.not_published
                 + summary.blocked + summary.held_back}
    blocked_marts = {_name(b) for b in summary.blocked}
    out = []
    for mart in MARTS:
        causes = [u for u in upstream_marts(mart, MARTS) if u in blocked_marts]
        if mart not in accounted and causes:
            out.append(f"{mart} (built on {', '.join(causes)}, whose gate blocked in this run)")
    return out
