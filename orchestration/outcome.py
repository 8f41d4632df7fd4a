"""What one job run did, read once from its events: the run report's sections, the summary
`betamonitor run` prints and the exit code, for runs of `betamonitor run` and runs the Dagster
daemon started alike (`close_run`).

The summary is a header line, one line per mart, each distinct reason once (numbered), and the
report's path. Its exit code (orchestration/exit_codes.py) follows from the same sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.exit_codes import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK
from pipelines.lineage import upstream_marts
from pipelines.marts import MARTS
from pipelines.revisions import number_text

GATE_ERROR = "ERROR"  # dagster's AssetCheckSeverity.ERROR.value: a blocking gate
STATUS = {EXIT_OK: "success", EXIT_GATE_BLOCKED: "gate blocked", EXIT_FAILED: "failed"}

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
class RunOutcome:
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
    # Inputs under the raw dir the contract does not know: reported and ignored (never silently).
    ignored_inputs: list[str] = field(default_factory=list)
    # Version folders whose files no longer match their metadata.json: repaired by this run, or left.
    repaired: list[str] = field(default_factory=list)
    damaged: list[dict] = field(default_factory=list)
    sections: dict = field(default_factory=dict, repr=False)  # the run report's sections it was read from
    report_path: str = ""  # the run report, named on the last line

    @property
    def status(self) -> str:
        return STATUS[self.exit_code]

    def report_fields(self) -> dict:
        """What the run report takes from the outcome: status, exit code, sections, marts and reasons."""
        return {"status": self.status, "exit_code": self.exit_code, **self.sections, **self.outcome()}

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
    def from_sections(cls, run_id: str, sections: dict) -> RunOutcome:
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
            if not gate["passed"] and gate["severity"] == GATE_ERROR:
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
        summary.ignored_inputs = list((sections.get("deliveries") or {}).get("ignored", []))
        summary.repaired = [f"{mart}/{p['version']}: {p['repaired']}" for mart, p in
                            sections.get("published", {}).items() if p.get("repaired")]
        summary.damaged = list(sections.get("damaged_versions", []))
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
        for mart, gate in (self.sections.get("gates") or {}).items():
            figures = gate.get("accepted_figures") or []
            if figures:  # one line per mart; the report lists every figure (items)
                first = figures[0]
                accepted = sorted({f"{d} by {by}" for f in figures for d, by in f["accepted"].items()})
                ref("accepted", f"accepted revisions: {len(figures)} figure{'s' if len(figures) != 1 else ''} of "
                                f"{mart} beyond the thresholds, released by {', '.join(accepted)}, e.g. "
                                f"{first['figure']} {number_text(first['published'], 'empty')} -> "
                                f"{number_text(first['new'], 'empty')}",
                    mart, items=figures)
        for note in self.ignored_inputs:
            ref("ignored", f"ignored input: raw/{note}")
        for note in self.repaired:
            ref("repaired", f"damaged publication repaired: {note}; the damaged folder was moved aside "
                            "(.damaged-*) and the version written anew")
        for d in self.damaged:
            ref("damaged", f"damaged publication: {d['problem']}; "
                           + ("the catalog still points at it: run again to repair it" if d["current"]
                              else "an older version, never made current again"))
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



def held_back_reasons(summary: RunOutcome) -> list[str]:
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


def close_run(run_id: str, events, settings) -> RunOutcome:
    """The end of every job run (`betamonitor run` and runs the daemon started): read the events once,
    move the catalog once for every mart whose version the run wrote (publishing is one transaction),
    refresh the site, and give the outcome the summary, the run report and the exit code come from."""
    from orchestration.report import job_sections, kept_back

    sections = job_sections(events, Path(settings.warehouse), run_id)
    commit_publications(sections, Path(settings.publish_dir), run_id)
    sections["kept_back"] = kept_back(sections)
    return RunOutcome.from_sections(run_id, sections)


def commit_publications(sections: dict, publish_dir: Path, run_id: str) -> None:
    """Point the catalog at the run's versions (one write), record which it made current, and list
    damaged versions; a failed commit turns every written mart into a failed one (nothing moved)."""
    from pipelines.publishing.latest import update_latest
    from pipelines.publishing.publisher import PublishError, commit_catalog, publication_problems
    from pipelines.publishing.site import update_site

    written = {mart: p["version"] for mart, p in sections["published"].items() if "version" in p}
    if written:
        try:
            made_current = commit_catalog(publish_dir, written, run_id)
        except PublishError as exc:
            for mart, version in written.items():
                del sections["published"][mart]
                sections["failed_steps"].append({"step": f"published__{mart}",
                                                 "error": f"{version} written, not made current: {exc}"})
        else:
            for mart, current in made_current.items():
                sections["published"][mart]["made_current"] = current
            # latest/<mart>.csv|parquet and datapackage.json follow the catalog; then the site beside it
            for step, update in (("latest", update_latest), ("site", update_site)):
                try:
                    update(publish_dir)
                except OSError as exc:
                    sections["failed_steps"].append({"step": step, "error": f"{publish_dir / step} was not "
                                                     f"updated: {exc.strerror or exc} ({exc.filename or step})"})
    sections["damaged_versions"] = publication_problems(publish_dir) if publish_dir.is_dir() else []
