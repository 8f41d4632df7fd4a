"""Engineer decisions about DUO deliveries: `betamonitor accept` and `betamonitor withdraw` (issue #10).

Decisions are data kept with the inputs: one line each in `<raw_dir>/decisions.csv`
(pipelines/ingest/decisions.py; append-only: who, when, why, and the sha256 of the delivery's bytes
they were taken on). Every run loads that file into the warehouse table `landing.delivery_decisions`,
which the dbt models read, so a rebuilt warehouse keeps them:

- **accepted**: a restatement that the revision check (`int_delivery_revisions`) would block is a
  genuine revision; the delivery may win its years. Bound to the bytes: an acceptance of other bytes
  (sha256) than those loaded does not apply. Shown in the metadata of every version using it.
- **withdrawn**: the delivery is taken out of use (its rows stay in `landing.<dataset>` for the
  record), whatever its bytes; the next run rebuilds every mart without it. Shown in the metadata and
  the trace.

Neither command needs a warehouse: the delivery is found under `<raw_dir>/duo/<dataset>/` and its
sha256 computed from the file.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines.ingest.decisions import (
    DECISIONS,
    Decision,
    append_decisions,
    decisions_path,
    ensure_table,
    one_line,
    read_decisions,
)
from pipelines.ingest.deliveries import sha256_of_file
from pipelines.ingest.errors import RejectedFile


class DecisionError(Exception):
    """The decision cannot be recorded (unknown delivery, no reason, already taken)."""


def ensure_decisions(con: duckdb.DuckDBPyConnection) -> None:
    """An (empty) `landing.delivery_decisions`, so dbt finds its source before the first load."""
    ensure_table(con)


def current_user() -> str:
    try:
        return os.environ.get("BETAMONITOR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def find_delivery(raw_dir: Path, delivery: str) -> str:
    """A delivery file under `<raw_dir>/duo/<dataset>/`, by its path (`duo/<dataset>/<file>`, `raw/` allowed
    in front) or its file name when unambiguous: its path under the raw directory."""
    wanted = delivery.removeprefix("raw/").strip("/")
    duo = Path(raw_dir) / "duo"
    files = sorted(p.relative_to(raw_dir).as_posix() for p in duo.glob("*/*")
                   if p.is_file() and not p.is_symlink() and not p.parent.is_symlink()) if duo.is_dir() else []
    if wanted in files:
        return wanted
    named = [f for f in files if f.rsplit("/", 1)[-1] == wanted.rsplit("/", 1)[-1]] if "/" not in wanted else []
    if len(named) == 1:
        return named[0]
    if not named:
        raise DecisionError(f"{delivery} is not a delivery under {duo} (give duo/<dataset>/<file> or its file name)")
    raise DecisionError(f"{delivery} is ambiguous: {', '.join(named)}; give duo/<dataset>/<file>")


def record_decision(raw_dir: Path, delivery: str, decision: str, reason: str,
                    decided_by: str | None = None, now: datetime | None = None) -> Decision:
    """Append the decision to `<raw_dir>/decisions.csv` (one line); no warehouse needed."""
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {DECISIONS}")
    reason = one_line(reason or "")
    if not reason:
        raise DecisionError("--reason is required: say why, it is published with the data")
    try:
        taken = read_decisions(raw_dir)
    except RejectedFile as rejected:
        raise DecisionError(f"{rejected}; correct {decisions_path(raw_dir)} first") from None
    delivery_file = find_delivery(raw_dir, delivery)
    digest = sha256_of_file(Path(raw_dir) / delivery_file)
    for d in taken:
        if (d.delivery_file, d.decision, d.sha256) == (delivery_file, decision, digest):
            raise DecisionError(f"{delivery_file} was already {decision} by {d.decided_by} at "
                                f"{d.decided_at:%Y-%m-%dT%H:%M:%SZ} (decisions.csv line {d.line})")
    entry = Decision(decided_at=(now or datetime.now(timezone.utc)).replace(tzinfo=None, microsecond=0),
                     decided_by=one_line(decided_by or current_user()) or "unknown", decision=decision,
                     delivery_file=delivery_file, sha256=digest, reason=reason)
    append_decisions(raw_dir, [entry])
    return entry


def decisions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'landing' "
                         "and table_name = 'delivery_decisions'").fetchall()[0][0]
    if not exists:  # works on a read-only connection too
        return []
    rows = con.execute("""
        select delivery_file, dataset, decision, reason, decided_by, strftime(decided_at, '%Y-%m-%dT%H:%M:%SZ'),
               sha256
        from landing.delivery_decisions order by decided_at, delivery_file, decision""").fetchall()
    return [{"delivery_file": f, "dataset": d, "decision": k, "reason": r, "decided_by": b, "decided_at": a,
             "sha256": h} for f, d, k, r, b, a, h in rows]


def annotate_inputs(con: duckdb.DuckDBPyConnection, inputs: list[dict]) -> dict:
    """Metadata: each used delivery's acceptance (of the bytes used), and every withdrawn delivery (not used)."""
    accepted: dict[tuple[str, str], dict] = {}
    withdrawn = []
    for d in decisions(con):
        record = {"reason": d["reason"], "decided_by": d["decided_by"], "decided_at": d["decided_at"]}
        if d["decision"] == "accepted":
            accepted[(d["delivery_file"], d["sha256"])] = record
        else:
            withdrawn.append({"path": d["delivery_file"], "dataset": d["dataset"], **record})
    for entry in inputs:
        if entry.get("kind") == "delivery" and (entry["path"], entry.get("sha256")) in accepted:
            entry["revision_accepted"] = accepted[(entry["path"], entry.get("sha256"))]
    return {"withdrawn_deliveries": withdrawn}


def main_decision(raw_dir, delivery: str, decision: str, reason: str, decided_by: str | None,
                  state_dir=None) -> tuple[int, str]:
    """CLI entry: (exit code, message). Appends to `<raw_dir>/decisions.csv`; no warehouse needed. An
    acceptance names the figures the last run's figure revision reports (in `state_dir`) held back for
    this delivery alone."""
    try:
        entry = record_decision(Path(raw_dir), delivery, decision, reason, decided_by)
    except DecisionError as exc:
        return 1, f"betamonitor {'accept' if decision == 'accepted' else 'withdraw'}: {exc}"
    effect = ("it may now restate the years it holds" if decision == "accepted"
              else "the next run rebuilds every mart without it (its rows stay in the warehouse)")
    message = (f"{entry.delivery_file} {decision} by {entry.decided_by} at {entry.decided_at:%Y-%m-%d %H:%M:%S} "
               f"UTC (sha256 {entry.sha256[:12]}…, recorded in {decisions_path(Path(raw_dir))}): {entry.reason}; "
               f"{effect}. Run `betamonitor run` to publish.")
    if decision == "accepted" and state_dir is not None:
        message += released_figures_text(Path(state_dir), entry.delivery_file)
    return 0, message


def released_figures_text(state_dir: Path, delivery_file: str, shown: int = 10) -> str:
    """The figures this acceptance releases, as the last run's figure revision reports list them."""
    from pipelines.quality.figure_revisions import released_by

    figures = released_by(state_dir, delivery_file)
    if not figures:
        return ""
    lines = [f"\nIt releases {len(figures)} figure{'s' if len(figures) != 1 else ''} the last run held back:"]
    for f in figures[:shown]:
        grain = " ".join(str(v) for k, v in f.items()
                         if k not in ("mart", "column", "published_value", "new_value", "relative_change"))
        lines.append(f"  {f['mart']} {grain} {f['column']}: {f['published_value']} -> {f['new_value']}")
    if len(figures) > shown:
        lines.append(f"  … and {len(figures) - shown} more (figure_revisions_*.csv in the last run's reports)")
    return "\n".join(lines)
