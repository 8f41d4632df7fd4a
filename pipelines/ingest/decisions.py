"""`<raw_dir>/decisions.csv`: engineer decisions about deliveries, kept with the inputs (issue 17).

`betamonitor accept` / `betamonitor withdraw` append one line each (never rewrite the file); every
run reads the whole file into `landing.delivery_decisions`, which the dbt models and the trace read.
The warehouse can be rebuilt from raw/ alone: a withdrawn delivery stays withdrawn.

Format (UTF-8, `,`-separated, one decision per line, header first):

    decided_at,decided_by,decision,delivery_file,sha256,reason
    2026-12-04T18:07:35Z,j.jansen,withdrawn,duo/ho_eerstejaars/2009-03-20_eerstejaars_ho.csv,<64 hex>,corrupt counts

decided_at is UTC (`YYYY-MM-DDTHH:MM:SSZ`), decision `accepted` or `withdrawn`, delivery_file the
delivery's path under the raw directory (`duo/<dataset>/<file>`), sha256 the delivery's bytes the
decision was taken on. The file is checked as a whole: one bad line rejects it (file, line, column,
reason) and the run fails before anything is published.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reader import read_delimited

DECISIONS_FILE = "decisions.csv"
HEADER = ["decided_at", "decided_by", "decision", "delivery_file", "sha256", "reason"]
DECISIONS = ("accepted", "withdrawn")
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_DELIVERY = re.compile(r"^duo/(?P<dataset>[A-Za-z0-9_.-]+)/(?P<file>[^/]+)$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The landing table, as the dbt models (source landing.delivery_decisions) and the trace read it.
TABLE_COLUMNS = ["delivery_file", "dataset", "sha256", "decision", "reason", "decided_by", "decided_at"]
TABLE_DDL = """
create schema if not exists landing;
create table if not exists landing.delivery_decisions (
    delivery_file varchar, dataset varchar, sha256 varchar, decision varchar,
    reason varchar, decided_by varchar, decided_at timestamp
);
"""
# Marks a landing table loaded from the file (a table without it was written by the old CLI).
LOADED_MARK = "loaded from decisions.csv"


@dataclass(frozen=True)
class Decision:
    decided_at: datetime  # UTC, naive, whole seconds
    decided_by: str
    decision: str
    delivery_file: str
    sha256: str
    reason: str
    line: int = 0  # in the file (0: not read from it)

    @property
    def dataset(self) -> str:
        return self.delivery_file.split("/")[1]

    def fields(self) -> list[str]:
        return [self.decided_at.strftime(TIMESTAMP), self.decided_by, self.decision, self.delivery_file,
                self.sha256, self.reason]


def decisions_path(raw_dir: Path) -> Path:
    return Path(raw_dir) / DECISIONS_FILE


def one_line(text: str) -> str:
    """A reason or name on one line (the file stays one decision per line)."""
    return " ".join(str(text).split())


def _check_fields(fields: list[str], display: str, line: int) -> Decision:
    def bad(column: str, reason: str) -> RejectedFile:
        return RejectedFile(display, reason, line=line, column=column)

    values = dict(zip(HEADER, (f.strip() for f in fields)))
    stamp = values["decided_at"]
    if not _TIMESTAMP.match(stamp):
        raise bad("decided_at", f"{stamp!r} is not a UTC timestamp YYYY-MM-DDTHH:MM:SSZ")
    try:
        decided_at = datetime.strptime(stamp, TIMESTAMP)
    except ValueError:
        raise bad("decided_at", f"{stamp!r} is not a valid date and time") from None
    if not values["decided_by"]:
        raise bad("decided_by", "empty: say who decided")
    if values["decision"] not in DECISIONS:
        raise bad("decision", f"{values['decision']!r} is not a decision (accepted or withdrawn)")
    if not _DELIVERY.match(values["delivery_file"]):
        raise bad("delivery_file", f"{values['delivery_file']!r} is not a delivery path duo/<dataset>/<file>")
    if not _SHA256.match(values["sha256"]):
        raise bad("sha256", f"{values['sha256']!r} is not a sha256 (64 lower-case hex digits)")
    if not values["reason"]:
        raise bad("reason", "empty: a decision needs a reason (it is published with the data)")
    return Decision(decided_at, values["decided_by"], values["decision"], values["delivery_file"],
                    values["sha256"], values["reason"], line)


def parse_decisions(data: bytes, display: str = DECISIONS_FILE) -> list[Decision]:
    """Every decision of the file, checked as a whole: the first bad line raises RejectedFile."""
    if not data.strip():
        return []
    parsed = read_delimited(Path(display), data, display, encoding="utf-8-sig")
    header = [h.strip() for h in parsed.header]
    if header != HEADER:
        raise RejectedFile(display, f"header must be {','.join(HEADER)}, found {','.join(header)}", line=1)
    out = []
    for line, fields in parsed.records:
        if not any(f.strip() for f in fields):
            continue  # a blank line
        if len(fields) != len(HEADER):
            missing = len(fields) < len(HEADER)
            raise RejectedFile(display, f"expected {len(HEADER)} fields, found {len(fields)}", line=line,
                               column=HEADER[len(fields)] if missing else f"field {len(HEADER) + 1}")
        out.append(_check_fields(fields, display, line))
    return out


def read_decisions(raw_dir: Path) -> list[Decision]:
    """The decisions file of a raw directory; a missing file holds no decisions."""
    path = decisions_path(raw_dir)
    if not path.exists() and not path.is_symlink():
        return []
    display = path.as_posix()
    if path.is_symlink() or not path.is_file():
        raise RejectedFile(display, "not a regular file")
    return parse_decisions(path.read_bytes(), display)


def format_line(decision: Decision) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(decision.fields())
    return buffer.getvalue().encode("utf-8")


def append_decisions(raw_dir: Path, entries: list[Decision]) -> None:
    """Append the decisions, one line each, to the file (made with its header when missing).
    The earlier bytes are never rewritten; the lines are flushed and fsynced before returning."""
    path = decisions_path(raw_dir)
    with path.open("ab") as fh:
        fh.seek(0, os.SEEK_END)
        size = fh.tell()
        prefix = b""
        if size == 0:
            prefix = (",".join(HEADER) + "\n").encode("utf-8")
        else:
            with path.open("rb") as check:
                check.seek(size - 1)
                if check.read(1) != b"\n":
                    prefix = b"\n"  # a hand-edited last line without its line end stays a line of its own
        fh.write(prefix + b"".join(format_line(e) for e in entries))
        fh.flush()
        os.fsync(fh.fileno())


# --- the landing table ---------------------------------------------------------------------------
def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TABLE_DDL)


def _table_state(con: duckdb.DuckDBPyConnection) -> tuple[bool, str | None]:
    rows = con.execute("select comment from duckdb_tables() where schema_name = 'landing' "
                       "and table_name = 'delivery_decisions'").fetchall()
    return (bool(rows), rows[0][0] if rows else None)


def unmigrated_rows(con: duckdb.DuckDBPyConnection, in_file: list[Decision]) -> list[Decision]:
    """Decisions the old CLI wrote into the warehouse table that the file lacks, in decided_at order.
    Only a table not yet loaded from the file holds such rows: afterwards the file is the truth."""
    exists, comment = _table_state(con)
    if not exists or comment == LOADED_MARK:
        return []
    known = {(d.delivery_file, d.decision, d.sha256) for d in in_file}
    rows = con.execute("""
        select decided_at, decided_by, decision, delivery_file, sha256, reason
        from landing.delivery_decisions order by decided_at, delivery_file, decision""").fetchall()
    out = []
    for at, by, decision, delivery_file, digest, reason in rows:
        if (delivery_file, decision, digest) in known:
            continue
        known.add((delivery_file, decision, digest))
        out.append(Decision(at.replace(microsecond=0), one_line(by or "unknown"), decision, delivery_file,
                            digest or "", one_line(reason or "")))
    return out


def load_table(con: duckdb.DuckDBPyConnection, entries: list[Decision]) -> None:
    """Create or replace `landing.delivery_decisions` with the file's decisions (same columns as ever)."""
    frame = pd.DataFrame(  # noqa: F841 - scanned by DuckDB
        [[d.delivery_file, d.dataset, d.sha256, d.decision, d.reason, d.decided_by, d.decided_at] for d in entries],
        columns=TABLE_COLUMNS).astype({c: "string" for c in TABLE_COLUMNS if c != "decided_at"})
    frame["decided_at"] = pd.to_datetime(frame["decided_at"])
    con.execute("create schema if not exists landing")
    con.execute("begin transaction")
    con.execute("""create or replace table landing.delivery_decisions as
        select delivery_file::varchar as delivery_file, dataset::varchar as dataset, sha256::varchar as sha256,
               decision::varchar as decision, reason::varchar as reason, decided_by::varchar as decided_by,
               decided_at::timestamp as decided_at
        from frame""")
    con.execute(f"comment on table landing.delivery_decisions is '{LOADED_MARK}'")
    con.execute("commit")


def current_sha256(raw_dir: Path, delivery_file: str) -> str | None:
    from pipelines.ingest.deliveries import sha256_of_file

    path = Path(raw_dir) / delivery_file
    return sha256_of_file(path) if path.is_file() and not path.is_symlink() else None


@dataclass
class DecisionsLoad:
    decisions: list[Decision]
    migrated: list[Decision]
    notes: list[str]  # decisions whose delivery's bytes changed (or that is gone)


def ingest_decisions(con: duckdb.DuckDBPyConnection, raw_dir: Path) -> DecisionsLoad:
    """Read and check decisions.csv (RejectedFile when malformed), append to it the warehouse's decisions
    it lacks (once, migration from the old CLI), and load it into `landing.delivery_decisions`."""
    in_file = read_decisions(raw_dir)
    migrated = unmigrated_rows(con, in_file)
    if migrated:
        append_decisions(raw_dir, migrated)
        in_file = read_decisions(raw_dir)  # what the file now says, checked again
    load_table(con, in_file)
    notes = []
    for d in in_file:
        now = current_sha256(raw_dir, d.delivery_file)
        if now is None:
            notes.append(f"{d.decision} {d.delivery_file} (decisions.csv line {d.line}): no such delivery in the "
                         "raw directory")
        elif now != d.sha256:
            effect = ("the acceptance does not apply to these bytes: the revision check judges them again "
                      "(accept again if they are right)" if d.decision == "accepted" else
                      "it stays withdrawn (a withdrawal holds whatever the bytes)")
            notes.append(f"{d.decision} {d.delivery_file} (decisions.csv line {d.line}) was decided on sha256 "
                         f"{d.sha256[:12]}…, the file now has {now[:12]}…: {effect}")
    return DecisionsLoad(in_file, migrated, notes)
