"""Issue 17: accept/withdraw decisions are a file kept with the inputs (`<raw_dir>/decisions.csv`),
appended by the commands without a warehouse and loaded whole by every run (unit level: no dbt)."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pytest

from orchestration.cli import main
from pipelines.deliveries_admin import DecisionError, record_decision
from pipelines.ingest.decisions import (
    HEADER,
    LOADED_MARK,
    Decision,
    append_decisions,
    ingest_decisions,
    parse_decisions,
    read_decisions,
)
from pipelines.ingest.deliveries import sha256_of
from pipelines.ingest.errors import RejectedFile
from tests.unit._raw import put, w_file, w_row

NAME = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
DATA = w_file(w_row(["10", "5", "12", "6"]))
SHA = sha256_of(DATA)
GOOD_LINE = f"2026-12-04T18:07:35Z,j.jansen,withdrawn,{NAME},{SHA},corrupt counts"


@pytest.fixture
def raw(raw_dir):
    put(raw_dir, NAME, DATA)
    return raw_dir


def text(*lines: str) -> bytes:
    return ("\n".join([",".join(HEADER), *lines]) + "\n").encode("utf-8")


# --- the writer -----------------------------------------------------------------------------------
def test_a_decision_appends_exactly_one_line_and_leaves_earlier_bytes_untouched(raw):
    path = raw / "decisions.csv"
    assert main(["withdraw", NAME, "--reason", "corrupt counts", "--by", "j.jansen", "--raw-dir", str(raw)]) == 0
    first = path.read_bytes()
    assert first.decode("utf-8").splitlines()[0] == ",".join(HEADER)
    assert len(first.splitlines()) == 2
    assert main(["accept", "2008-03-17_eerstejaars_ho.csv", "--reason", "DUO restated, really\nyes",
                 "--by", "p.pieters", "--raw-dir", str(raw)]) == 0
    second = path.read_bytes()
    assert second.startswith(first) and len(second.splitlines()) == 3
    at, by, decision, delivery, digest, reason = second.decode("utf-8").splitlines()[2].split(",", 5)
    assert (by, decision, delivery, digest) == ("p.pieters", "accepted", NAME, SHA)
    assert reason == '"DUO restated, really yes"'  # one line, csv-quoted
    assert datetime.strptime(at, "%Y-%m-%dT%H:%M:%SZ")
    assert [(d.decision, d.reason, d.line) for d in read_decisions(raw)] == [
        ("withdrawn", "corrupt counts", 2), ("accepted", "DUO restated, really yes", 3)]


def test_decisions_need_no_warehouse(raw, tmp_path, capsys):
    """The state directory is gone (a rebuilt server): the commands work on raw/ alone."""
    assert not (tmp_path / "state").exists()
    assert main(["withdraw", NAME, "--reason", "corrupt counts", "--raw-dir", str(raw)]) == 0
    out = capsys.readouterr().out
    assert NAME in out and "withdrawn" in out and "decisions.csv" in out
    assert not (tmp_path / "state").exists()
    [d] = read_decisions(raw)
    assert d.delivery_file == NAME and d.sha256 == SHA and d.decided_by


def test_a_decision_already_taken_on_the_same_bytes_is_refused(raw):
    record_decision(raw, NAME, "withdrawn", "corrupt", "a")
    with pytest.raises(DecisionError, match="already withdrawn by a at .*line 2"):
        record_decision(raw, NAME, "withdrawn", "again", "b")
    record_decision(raw, NAME, "accepted", "other decision", "b")  # another decision: fine
    put(raw, NAME, w_file(w_row(["11", "5", "12", "6"])))  # other bytes: a new decision may be taken
    record_decision(raw, NAME, "withdrawn", "the replaced file is wrong too", "c")
    assert len(read_decisions(raw)) == 3


def test_unknown_or_ambiguous_deliveries_and_missing_reasons_are_refused(raw, capsys):
    put(raw, "duo/ho_gediplomeerden/2008-03-17_eerstejaars_ho.csv", DATA)
    with pytest.raises(DecisionError, match="ambiguous"):
        record_decision(raw, "2008-03-17_eerstejaars_ho.csv", "withdrawn", "x")
    with pytest.raises(DecisionError, match="not a delivery"):
        record_decision(raw, "duo/ho_eerstejaars/nope.csv", "withdrawn", "x")
    assert main(["accept", NAME, "--reason", " ", "--raw-dir", str(raw)]) == 1
    assert "--reason is required" in capsys.readouterr().out
    assert not (raw / "decisions.csv").exists()


def test_a_last_line_without_its_line_end_stays_a_line_of_its_own(raw):
    path = raw / "decisions.csv"
    path.write_bytes(text(GOOD_LINE).rstrip(b"\n"))
    before = path.read_bytes()
    append_decisions(raw, [Decision(datetime(2026, 12, 5), "b", "accepted", NAME, SHA, "ok")])
    assert path.read_bytes().startswith(before)
    assert [d.line for d in read_decisions(raw)] == [2, 3]


# --- the reader: the file as a whole --------------------------------------------------------------
@pytest.mark.parametrize(("line", "column", "reason"), [
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,{NAME},{SHA}", "reason", "expected 6 fields, found 5"),
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,{NAME},{SHA},x,y", "field 7", "expected 6 fields, found 7"),
    (f"2026-12-04T18:07:35Z,j.jansen,rejected,{NAME},{SHA},x", "decision", "'rejected' is not a decision"),
    (f"2026-12-04 18:07:35,j.jansen,withdrawn,{NAME},{SHA},x", "decided_at", "is not a UTC timestamp"),
    (f"2026-02-30T18:07:35Z,j.jansen,withdrawn,{NAME},{SHA},x", "decided_at", "is not a valid date"),
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,{NAME},{SHA},  ", "reason", "empty"),
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,2008-03-17_eerstejaars_ho.csv,{SHA},x", "delivery_file",
     "is not a delivery path duo/<dataset>/<file>"),
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,duo/a/b/c.csv,{SHA},x", "delivery_file", "duo/<dataset>/<file>"),
    (f"2026-12-04T18:07:35Z,j.jansen,withdrawn,{NAME},abc,x", "sha256", "is not a sha256"),
    (f"2026-12-04T18:07:35Z,,withdrawn,{NAME},{SHA},x", "decided_by", "empty"),
])
def test_a_malformed_line_names_file_line_column_and_reason(line, column, reason):
    with pytest.raises(RejectedFile) as caught:
        parse_decisions(text(GOOD_LINE, "", line), "raw/decisions.csv")
    rejected = caught.value
    assert (rejected.path, rejected.line, rejected.column) == ("raw/decisions.csv", 4, column)
    assert reason in rejected.reason
    assert str(rejected).startswith(f"raw/decisions.csv, line 4, column {column!r}: ")


def test_header_and_missing_file():
    with pytest.raises(RejectedFile, match="header must be decided_at,decided_by"):
        parse_decisions(b"when,who\n", "decisions.csv")
    assert parse_decisions(b"", "decisions.csv") == []
    assert parse_decisions(text(), "decisions.csv") == []


# --- every run: the file into landing.delivery_decisions ------------------------------------------
def test_the_run_loads_the_file_into_the_landing_table(con, raw):
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE))
    load = ingest_decisions(con, raw)
    assert not load.migrated and not load.notes
    assert con.execute("select * from landing.delivery_decisions").fetchall() == [
        (NAME, "ho_eerstejaars", SHA, "withdrawn", "corrupt counts", "j.jansen", datetime(2026, 12, 4, 18, 7, 35))]
    (raw / "decisions.csv").unlink()  # the file is the truth: no file, no decisions
    ingest_decisions(con, raw)
    assert con.execute("select count(*) from landing.delivery_decisions").fetchall() == [(0,)]


def test_a_malformed_file_leaves_the_table_alone_and_raises(con, raw):
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE))
    ingest_decisions(con, raw)
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE, GOOD_LINE.replace("withdrawn", "maybe")))
    with pytest.raises(RejectedFile, match="line 3, column 'decision'"):
        ingest_decisions(con, raw)


def test_decisions_on_other_bytes_are_reported(con, raw):
    other = "f" * 64
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE.replace(SHA, other),
                                             GOOD_LINE.replace("withdrawn", "accepted").replace(SHA, other)))
    notes = ingest_decisions(con, raw).notes
    assert len(notes) == 2 and all(f"decided on sha256 {other[:12]}" in n for n in notes)
    assert "stays withdrawn" in notes[0] and "does not apply to these bytes" in notes[1]


def test_decisions_of_an_old_warehouse_are_appended_to_the_file_once(con, raw):
    """The old CLI wrote decisions into the warehouse only: the first run appends them to the file
    (decided_at order), then the file is the truth (a line removed by hand stays removed)."""
    con.execute("create schema landing")
    con.execute("""create table landing.delivery_decisions (delivery_file varchar, dataset varchar, sha256 varchar,
        decision varchar, reason varchar, decided_by varchar, decided_at timestamp)""")
    con.execute("insert into landing.delivery_decisions values "
                f"('{NAME}', 'ho_eerstejaars', '{SHA}', 'accepted', 'second', 'b', '2009-04-02 10:00:00'), "
                f"('{NAME}', 'ho_eerstejaars', '{SHA}', 'withdrawn', 'corrupt counts', 'j.jansen', "
                "'2026-12-04 18:07:35'), "
                f"('{NAME}', 'ho_eerstejaars', '{SHA}', 'withdrawn', 'first', 'a', '2009-04-01 10:00:00')")
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE))  # one of them is in the file already
    before = (raw / "decisions.csv").read_bytes()
    load = ingest_decisions(con, raw)
    assert [d.reason for d in load.migrated] == ["second"]  # the withdrawal is in the file (same bytes)
    after = (raw / "decisions.csv").read_bytes()
    assert after.startswith(before) and after.decode().splitlines()[-1] == \
        f"2009-04-02T10:00:00Z,b,accepted,{NAME},{SHA},second"
    assert con.execute("select comment from duckdb_tables() where table_name = 'delivery_decisions'"
                       ).fetchall() == [(LOADED_MARK,)]
    assert con.execute("select count(*) from landing.delivery_decisions").fetchall() == [(2,)]
    (raw / "decisions.csv").write_bytes(text(GOOD_LINE))  # the acceptance revoked by hand
    assert not ingest_decisions(con, raw).migrated
    assert con.execute("select decision from landing.delivery_decisions").fetchall() == [("withdrawn",)]


def test_a_warehouse_file_is_not_needed_to_read(tmp_path, raw):
    """A warehouse made by the old CLI with no decisions migrates nothing."""
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert not ingest_decisions(con, raw).migrated
    assert not (raw / "decisions.csv").exists()
