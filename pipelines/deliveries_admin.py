"""Engineer decisions about DUO deliveries: `betamonitor accept` and `betamonitor withdraw` (issue #10).

Decisions are rows in the warehouse table `landing.delivery_decisions` (append-only: who, when, why,
and the sha256 of the delivery they were taken on). The dbt models read it:

- **accepted**: a restatement that the revision check (`int_delivery_revisions`) would block is a
  genuine revision; the delivery may win its years. Shown in the metadata of every version using it.
- **withdrawn**: the delivery is taken out of use (its rows stay in `landing.<dataset>` for the
  record); the next run rebuilds every mart without it. Shown in the metadata and the trace.
"""

from __future__ import annotations

import getpass
import os
from datetime import datetime, timezone

import duckdb

DECISIONS_DDL = """
create schema if not exists landing;
create table if not exists landing.delivery_decisions (
    delivery_file varchar, dataset varchar, sha256 varchar, decision varchar,
    reason varchar, decided_by varchar, decided_at timestamp
);
"""
DECISIONS = ("accepted", "withdrawn")


class DecisionError(Exception):
    """The decision cannot be recorded (unknown delivery, no reason, already taken)."""


def ensure_decisions(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DECISIONS_DDL)


def current_user() -> str:
    try:
        return os.environ.get("BETAMONITOR_USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _find_delivery(con: duckdb.DuckDBPyConnection, delivery: str) -> tuple[str, str, str]:
    """A delivery by its path under raw/ (`duo/<dataset>/<file>`), or its file name when unambiguous."""
    rows = con.execute(
        "select delivery_file, dataset, sha256 from landing.deliveries "
        "where delivery_file = ? or delivery_file like '%/' || ? order by delivery_file",
        [delivery.removeprefix("raw/"), delivery.rsplit("/", 1)[-1]]).fetchall()
    exact = [r for r in rows if r[0] == delivery.removeprefix("raw/")]
    if exact:
        return exact[0]
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise DecisionError(f"{delivery} is not a registered delivery (see landing.deliveries); "
                            "only deliveries that were ingested can be accepted or withdrawn")
    raise DecisionError(f"{delivery} is ambiguous: {', '.join(r[0] for r in rows)}; give duo/<dataset>/<file>")


def record_decision(con: duckdb.DuckDBPyConnection, delivery: str, decision: str, reason: str,
                    decided_by: str | None = None, now: datetime | None = None) -> dict:
    if decision not in DECISIONS:
        raise DecisionError(f"decision must be one of {DECISIONS}")
    if not reason or not reason.strip():
        raise DecisionError("--reason is required: say why, it is published with the data")
    ensure_decisions(con)
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'landing'").fetchall()}
    if "deliveries" not in tables:
        raise DecisionError("the warehouse has no deliveries yet: run `betamonitor run` first")
    delivery_file, dataset, digest = _find_delivery(con, delivery)
    taken = con.execute("select decided_by, decided_at from landing.delivery_decisions "
                        "where delivery_file = ? and decision = ?", [delivery_file, decision]).fetchall()
    if taken:
        raise DecisionError(f"{delivery_file} was already {decision} by {taken[0][0]} at {taken[0][1]}")
    entry = {"delivery_file": delivery_file, "dataset": dataset, "sha256": digest, "decision": decision,
             "reason": reason.strip(), "decided_by": decided_by or current_user(),
             "decided_at": (now or datetime.now(timezone.utc)).replace(tzinfo=None, microsecond=0)}
    con.execute("insert into landing.delivery_decisions values (?, ?, ?, ?, ?, ?, ?)", list(entry.values()))
    return entry


def decisions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'landing' "
                         "and table_name = 'delivery_decisions'").fetchall()[0][0]
    if not exists:  # works on a read-only connection too
        return []
    rows = con.execute("""
        select delivery_file, dataset, decision, reason, decided_by, strftime(decided_at, '%Y-%m-%dT%H:%M:%SZ')
        from landing.delivery_decisions order by decided_at, delivery_file, decision""").fetchall()
    return [{"delivery_file": f, "dataset": d, "decision": k, "reason": r, "decided_by": b, "decided_at": a}
            for f, d, k, r, b, a in rows]


def annotate_inputs(con: duckdb.DuckDBPyConnection, inputs: list[dict]) -> dict:
    """Metadata: each used delivery's acceptance, and every withdrawn delivery (not used)."""
    by_file: dict[str, dict] = {}
    withdrawn = []
    for d in decisions(con):
        record = {"reason": d["reason"], "decided_by": d["decided_by"], "decided_at": d["decided_at"]}
        if d["decision"] == "accepted":
            by_file[d["delivery_file"]] = record
        else:
            withdrawn.append({"path": d["delivery_file"], "dataset": d["dataset"], **record})
    for entry in inputs:
        if entry.get("kind") == "delivery" and entry["path"] in by_file:
            entry["revision_accepted"] = by_file[entry["path"]]
    return {"withdrawn_deliveries": withdrawn}


def main_decision(warehouse, delivery: str, decision: str, reason: str, decided_by: str | None) -> tuple[int, str]:
    """CLI entry: (exit code, message)."""
    from pathlib import Path

    if not Path(warehouse).is_file():
        return 1, f"warehouse {warehouse} does not exist: run `betamonitor run` first"
    try:
        with duckdb.connect(str(warehouse)) as con:
            entry = record_decision(con, delivery, decision, reason, decided_by)
    except DecisionError as exc:
        return 1, f"betamonitor {'accept' if decision == 'accepted' else 'withdraw'}: {exc}"
    effect = ("it may now restate the years it holds" if decision == "accepted"
              else "the next run rebuilds every mart without it (its rows stay in the warehouse)")
    return 0, (f"{entry['delivery_file']} {decision} by {entry['decided_by']} at {entry['decided_at']:%Y-%m-%d %H:%M:%S} "
               f"UTC: {entry['reason']}; {effect}. Run `betamonitor run` to publish.")
