"""Issue #10 guards: strict headers, plausible counts, empty/future/odd files, encodings, CSV escaping,
accept/withdraw decisions (unit level: no dbt, no Dagster)."""

from __future__ import annotations

import csv
import io
import os
from datetime import date, timedelta

import duckdb
import pytest

from pipelines.deliveries_admin import DecisionError, annotate_inputs, record_decision
from pipelines.ingest.decisions import ingest_decisions
from pipelines.ingest import guards
from pipelines.ingest.deliveries import ingest_dataset
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.layouts import WideLayout
from pipelines.ingest.reference import PROGRAMS, REFERENCES, ingest_programs, ingest_reference, read_reference
from pipelines.publishing.csv_safety import escape_cell, escaped_select
from tests.unit._raw import put, w_file, w_header, w_row

DATASET = "ho_eerstejaars"
NAME = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
GOOD = w_file(w_row(["10", "5", "12", "6"]), w_row(["1", "2", "3", "4"], opleidingscode="56861"))


def ingest(con, raw_dir, name=NAME, data=GOOD):
    put(raw_dir, name, data)
    return ingest_dataset(con, raw_dir, DATASET, "run-1")


def only_rejection(report) -> RejectedFile:
    assert not report.new_deliveries, report.new_deliveries
    assert len(report.rejected) == 1, report.rejected
    return report.rejected[0]


# --- strict headers -----------------------------------------------------------------------------
def test_good_file_still_lands(con, raw_dir):
    report = ingest(con, raw_dir)
    assert report.new_deliveries == [NAME] and not report.rejected


def test_misspelled_gender_column_is_rejected_with_the_column_named(con, raw_dir):
    header = w_header((2003, 2004)).replace("2004 VROUW", "2004 VRW")
    rejected = only_rejection(ingest(con, raw_dir, data=w_file(w_row(["1", "2", "3", "4"]), header=header)))
    assert rejected.column == "2004 VRW" and "count position" in rejected.reason
    assert con.execute("select count(*) from landing.deliveries").fetchall()[0][0] == 0


def test_year_without_both_genders_is_rejected(con, raw_dir):
    header = ";".join(w_header((2003,)).split(";") + ["2004 MAN"])
    rejected = only_rejection(ingest(con, raw_dir, data=w_file(w_row(["1", "2", "3"]), header=header)))
    assert "year 2004" in rejected.reason and "VROUW" in rejected.reason and rejected.column == "2004 MAN"


def test_duplicated_year_is_rejected(con, raw_dir):
    header = w_header((2003, 2004)).replace("2004 MAN;2004 VROUW", "2003 MAN ;2003 VROUW ")
    rejected = only_rejection(ingest(con, raw_dir, data=w_file(w_row(["1", "2", "3", "4"]), header=header)))
    assert "duplicate" in rejected.reason and "2003" in (rejected.column or "")


def test_unknown_column_after_the_counts_is_rejected():
    header = w_header((2003,)).split(";") + ["OPMERKING"]
    with pytest.raises(RejectedFile, match="OPMERKING"):
        guards.check_wide_header(header, WideLayout(name="W"), set(), "x.csv")


def test_g_layout_years_need_no_gender_in_the_header_but_no_typo_either():
    g = WideLayout(name="G", count_header=r"^(?P<year>\d{4})$", gender_header="GESLACHT")
    guards.check_wide_header(["BRIN NUMMER ACTUEEL", "GESLACHT", "2015", "2016"], g, {"BRIN NUMMER ACTUEEL"}, "x.csv")
    with pytest.raises(RejectedFile, match="2O16"):
        guards.check_wide_header(["BRIN NUMMER ACTUEEL", "GESLACHT", "2015", "2O16"], g, {"BRIN NUMMER ACTUEEL"},
                                 "x.csv")


# --- plausible counts ---------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775807", "100001", "100.001"])
def test_count_above_the_declared_maximum_is_quarantined_with_line_and_column(con, raw_dir, value):
    report = ingest(con, raw_dir, data=w_file(w_row(["10", value, "12", "6"]), w_row(["1", "2", "3", "4"], opleidingscode="56861")))
    assert report.new_deliveries == [NAME]
    [q] = report.quarantined
    assert (q["line_number"], q["column_header"], q["raw_value"]) == (2, "2003 VROUW", value)
    assert "plausible maximum of 100000" in q["reason"]
    assert con.execute("select count(*) from landing.ho_eerstejaars where count_value > 100000").fetchall() == [(0,)]


def test_the_maximum_itself_is_plausible():
    from pipelines.ingest.cells import _implausible
    from pipelines.ingest.datasets import HO_EERSTEJAARS

    assert guards.max_cell_count() == 100000
    wide = HO_EERSTEJAARS.layouts[0]
    rows = duckdb.sql(f"select raw, {_implausible('raw', wide)} from (values ('100000'), ('100.000'), ('<5'), (''), "
                      "('abc'), ('100001'), ('100.001')) t(raw)").fetchall()
    assert [raw for raw, reason in rows if reason is not None] == ["100001", "100.001"]


# --- empty, future, odd files -------------------------------------------------------------------
def test_header_only_delivery_is_rejected_not_registered_and_the_real_file_later_lands(con, raw_dir):
    header_only = w_file(footer=False)
    rejected = only_rejection(ingest(con, raw_dir, data=header_only))
    assert "no data lines" in rejected.reason
    assert con.execute("select count(*) from landing.deliveries").fetchall()[0][0] == 0
    report = ingest(con, raw_dir)  # the complete file under the same name
    assert report.new_deliveries == [NAME]


def test_delivery_dated_after_today_is_rejected(con, raw_dir):
    future = (date.today() + timedelta(days=400)).isoformat()
    rejected = only_rejection(ingest(con, raw_dir, name=f"duo/ho_eerstejaars/{future}_eerstejaars_ho.csv"))
    assert "after today" in rejected.reason and future in rejected.reason


def test_symlink_is_skipped_without_reading_its_target(con, raw_dir, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_bytes(b"TOP SECRET FIRST LINE\n")
    (raw_dir / "duo" / DATASET).mkdir(parents=True)
    os.symlink(secret, raw_dir / "duo" / DATASET / "2008-03-17_link.csv")
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-1"))
    assert "symbolic link" in rejected.reason and "SECRET" not in str(rejected)


def test_fifo_is_skipped_without_blocking(con, raw_dir):
    (raw_dir / "duo" / DATASET).mkdir(parents=True)
    os.mkfifo(raw_dir / "duo" / DATASET / "2008-03-17_pipe.csv")
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-1"))
    assert "FIFO" in rejected.reason


@pytest.mark.parametrize("encoding, name", [("utf-16", "UTF-16 (little-endian, with BOM)"),
                                            ("utf-16-be", "UTF-16 (big-endian, without BOM)"),
                                            ("utf-16-le", "UTF-16 (little-endian, without BOM)")])
def test_utf16_file_is_named_by_its_encoding(con, raw_dir, encoding, name):
    data = GOOD.decode("cp1252").encode(encoding)
    rejected = only_rejection(ingest(con, raw_dir, data=data))
    assert name in rejected.reason and "binary" not in rejected.reason


def test_cp1252_comma_file_is_decoded_and_judged_by_its_header(con, raw_dir):
    """Contract 10.1: DUO files may be cp1252 whatever the delimiter; this one lacks the HO columns."""
    data = '"STUDIEJAAR","NAAM"\r\n2007,"Hogeschool Bèta"\r\n'.encode("cp1252")
    rejected = only_rejection(ingest(con, raw_dir, data=data))
    assert "missing column" in rejected.reason and rejected.line == 1


def test_crash_while_reading_becomes_a_rejection(con, raw_dir, monkeypatch):
    import pipelines.ingest.deliveries as deliveries

    def boom(*args, **kwargs):
        raise ValueError("Length of values (1) does not match length of index (2)")

    monkeypatch.setattr(deliveries, "land_cells", boom)
    rejected = only_rejection(ingest(con, raw_dir))
    assert "could not be read" in rejected.reason and "ValueError" in rejected.reason


def test_header_only_program_file_is_rejected_and_keeps_the_loaded_rows(con, raw_dir):
    con.execute("create schema landing; create table landing.institutions as select '21PM' as instellingscode")
    put(raw_dir, "programs/wo-sprint.csv", b"instellingscode;programma;vanaf;tot_en_met\n21PM;WO-SPRINT;2004;\n")
    assert ingest_programs(con, raw_dir, "run-1")["loaded"] == ["programs/wo-sprint.csv"]
    put(raw_dir, "programs/wo-sprint.csv", b"instellingscode;programma;vanaf;tot_en_met\n")
    summary = ingest_programs(con, raw_dir, "run-2")
    assert summary["rejected"] and "no data rows" in summary["rejected"][0]
    assert con.execute("select count(*) from landing.program_participation").fetchall() == [(1,)]


def test_empty_and_header_only_reference_files_are_rejected():
    spec = REFERENCES["institutions"]
    with pytest.raises(RejectedFile, match="no data rows"):
        read_reference(spec, b"instellingscode;naam;soort;opgegaan_in;per_jaar\n")
    with pytest.raises(RejectedFile, match="empty"):
        read_reference(spec, b"")
    with pytest.raises(RejectedFile, match="no data rows"):
        read_reference(PROGRAMS, b"instellingscode;programma;vanaf;tot_en_met\r\n\r\n")


def test_symlinked_reference_file_is_rejected_on_first_run(con, raw_dir, tmp_path):
    target = tmp_path / "elsewhere.csv"
    target.write_text("instellingscode;naam;soort;opgegaan_in;per_jaar\n21PM;X;wo;;\n")
    (raw_dir / "reference").mkdir()
    os.symlink(target, raw_dir / "reference" / "institutions.csv")
    with pytest.raises(RejectedFile, match="symbolic link"):
        ingest_reference(con, raw_dir, "institutions", "run-1")


# --- CSV escaping -------------------------------------------------------------------------------
def test_escaped_select_prefixes_risky_text_and_leaves_numbers():
    con = duckdb.connect()
    con.execute("""create table t as select * from (values
        (1, '=cmd|'' /C calc''!A0', -5.5), (2, '+1+1', 1.0), (3, '@SUM(1+1)', 2.0), (4, chr(9) || 'x', 3.0),
        (5, chr(13) || 'y', 4.0), (6, '-1', 5.0), (7, 'Avans Hogeschool', 6.0), (8, null, 7.0)) v(k, name, n)""")
    rows = con.execute(escaped_select(con, "t", ["k"])).fetchall()
    assert [r[1] for r in rows] == ["'=cmd|' /C calc'!A0", "'+1+1", "'@SUM(1+1)", "'\tx", "'\ry", "-1",
                                    "Avans Hogeschool", None]
    assert [r[2] for r in rows][0] == pytest.approx(-5.5)


def test_escape_cell_for_report_writers():
    assert escape_cell('=HYPERLINK("http://x","Avans")') == '\'=HYPERLINK("http://x","Avans")'
    assert escape_cell("-abc") == "'-abc" and escape_cell("-1") == "-1" and escape_cell(3) == 3


def test_quarantine_report_csv_is_escaped(tmp_path):
    from assets.ingest import write_quarantine_report

    path = write_quarantine_report(tmp_path, "run", DATASET, [
        {"delivery_file": NAME, "line_number": 2, "column_header": "2003 MAN", "raw_value": "=HYPERLINK(\"x\")",
         "reason": "count is not a number"}])
    [row] = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert row["raw_value"] == "'=HYPERLINK(\"x\")"


# --- accept / withdraw --------------------------------------------------------------------------
def test_decisions_are_recorded_with_who_when_why(con, raw_dir):
    ingest(con, raw_dir)
    with pytest.raises(DecisionError, match="reason"):
        record_decision(raw_dir, NAME, "withdrawn", "  ")
    with pytest.raises(DecisionError, match="not a delivery"):
        record_decision(raw_dir, "duo/ho_eerstejaars/2099-01-01_x.csv", "withdrawn", "bad")
    entry = record_decision(raw_dir, "2008-03-17_eerstejaars_ho.csv", "accepted", "DUO restated 2007", "j.jansen")
    assert entry.delivery_file == NAME and entry.decided_by == "j.jansen"
    with pytest.raises(DecisionError, match="already accepted"):
        record_decision(raw_dir, NAME, "accepted", "again")
    ingest_decisions(con, raw_dir)  # what every run does: the file into landing.delivery_decisions
    digest = con.execute("select sha256 from landing.deliveries").fetchall()[0][0]
    inputs = [{"kind": "delivery", "path": NAME, "sha256": digest}]
    extra = annotate_inputs(con, inputs)
    assert inputs[0]["revision_accepted"]["reason"] == "DUO restated 2007"
    assert extra == {"withdrawn_deliveries": []}
    other = [{"kind": "delivery", "path": NAME, "sha256": "0" * 64}]  # other bytes: not accepted
    annotate_inputs(con, other)
    assert "revision_accepted" not in other[0]
