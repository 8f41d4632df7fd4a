"""`ingest_dataset`: the delivery registry (sha256), immutable deliveries, whole-file rejection into
`landing.rejections`, quarantined cells landing with their reason, and folder bookkeeping."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from pipelines.ingest.deliveries import delivery_date_of, ingest_dataset
from pipelines.ingest.errors import RejectedFile

from ._raw import l_file, l_row, put, w_file, w_header, w_row, W_DIMS

DATASET = "ho_eerstejaars"
W_NAME = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
L_NAME = "duo/ho_eerstejaars/2009-03-16_eerstejaars_ho.csv"
W_DATA = w_file(w_row(["41", "22", "<5", ""]), w_row(["1.021", "87", "96", "12"], sector="hbo", code="00IC"))


def rows_of(con, delivery_file):
    return con.execute(
        "select line_number, column_header, raw_value, year, gender, count_value, is_masked, quarantine_reason "
        "from landing.ho_eerstejaars where delivery_file = ? order by line_number, column_header",
        [delivery_file]).fetchall()


def count(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()[0][0]


def test_new_delivery_lands_with_registry_entry(con, raw_dir):
    put(raw_dir, W_NAME, W_DATA)
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [W_NAME]
    assert report.rejected == [] and report.known_deliveries == [] and not report.folder_missing
    registry = con.execute("select dataset, delivery_date, sha256, layout, n_quarantined, ingested_by_run "
                           "from landing.deliveries").fetchall()
    assert registry == [(DATASET, date(2008, 3, 17), hashlib.sha256(W_DATA).hexdigest(), "W", 0, "run-1")]
    rows = rows_of(con, W_NAME)
    assert len(rows) == 8
    assert (2, "2003 MAN", "41", 2003, "MAN", 41, False, None) in rows
    assert (2, "2004 MAN", "<5", 2004, "MAN", None, True, None) in rows
    assert (2, "2004 VROUW", "", 2004, "VROUW", 0, False, None) in rows
    assert (3, "2003 MAN", "1.021", 2003, "MAN", 1021, False, None) in rows
    provenance = con.execute("select distinct delivery_date, sha256, layout, instellingscode "
                             "from landing.ho_eerstejaars where line_number = 3").fetchall()
    assert provenance == [(date(2008, 3, 17), hashlib.sha256(W_DATA).hexdigest(), "W", "00IC")]


def test_second_run_does_not_read_a_known_delivery_again(con, raw_dir):
    put(raw_dir, W_NAME, W_DATA)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    before = rows_of(con, W_NAME)
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [] and report.known_deliveries == [W_NAME] and report.rejected == []
    assert rows_of(con, W_NAME) == before
    assert count(con, "select count(*) from landing.ho_eerstejaars") == 8
    assert count(con, "select count(*) from landing.deliveries") == 1
    assert count(con, "select count(*) from landing.rejections") == 0


def test_changed_file_under_the_same_name_is_refused_and_old_rows_are_kept(con, raw_dir):
    path = put(raw_dir, W_NAME, W_DATA)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    before = rows_of(con, W_NAME)
    changed = W_DATA.replace(b";41;", b";42;")
    assert changed != W_DATA
    path.write_bytes(changed)

    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [] and report.known_deliveries == []
    [rejected] = report.rejected
    assert rejected.path == W_NAME
    assert "changed" in rejected.reason and "immutable" in rejected.reason
    assert rows_of(con, W_NAME) == before  # the originally delivered figures are still there
    assert count(con, "select sha256 from landing.deliveries") == hashlib.sha256(W_DATA).hexdigest()
    recorded = con.execute("select run_id, dataset, delivery_file, sha256, reason from landing.rejections").fetchall()
    assert recorded == [("run-2", DATASET, W_NAME, hashlib.sha256(changed).hexdigest(), rejected.reason)]


def test_unreadable_file_is_rejected_whole_and_recorded(con, raw_dir):
    dims = [h for h in W_DIMS if h != "TYPE HOGER ONDERWIJS"]
    bad = w_file(";".join(w_row(["1", "2", "3", "4"]).split(";")[:4] + w_row(["1", "2", "3", "4"]).split(";")[5:]),
                 header=w_header(dims=dims))
    bad_name = "duo/ho_eerstejaars/2007-03-01_eerstejaars_ho.csv"
    put(raw_dir, bad_name, bad)
    put(raw_dir, W_NAME, W_DATA)

    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [W_NAME]
    [rejected] = report.rejected
    assert (rejected.path, rejected.line) == (bad_name, 1)
    assert "TYPE HOGER ONDERWIJS" in rejected.reason
    recorded = con.execute("select run_id, delivery_file, line, reason from landing.rejections").fetchall()
    assert recorded == [("run-1", bad_name, 1, rejected.reason)]
    assert rows_of(con, bad_name) == []
    assert count(con, "select count(*) from landing.deliveries where delivery_file = ?", [bad_name]) == 0
    assert len(rows_of(con, W_NAME)) == 8  # the other delivery still lands


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", "binary"),
    (w_file(w_row(["1", "2", "3", "4"], naam="Hogeschool Bèta"), encoding="utf-8")[:-40] + b"\x81\r\n", "cp1252"),
], ids=["empty", "xlsx-bytes", "byte-undefined-in-cp1252"])
def test_unreadable_bytes_are_rejected_with_line_and_reason(con, raw_dir, data, reason):
    put(raw_dir, W_NAME, data)
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    [rejected] = report.rejected
    assert reason in rejected.reason
    assert rejected.line is not None
    assert con.execute("select line, reason from landing.rejections").fetchall() == [(rejected.line, rejected.reason)]
    assert count(con, "select count(*) from landing.ho_eerstejaars") == 0
    assert count(con, "select count(*) from landing.deliveries") == 0


def test_rejected_file_is_read_again_once_it_is_fixed(con, raw_dir):
    path = put(raw_dir, W_NAME, b"")
    assert ingest_dataset(con, raw_dir, DATASET, "run-1").rejected
    path.write_bytes(W_DATA)
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [W_NAME] and report.rejected == []
    assert len(rows_of(con, W_NAME)) == 8


@pytest.mark.parametrize("name, reason", [
    ("eerstejaars_ho_2008.csv", "YYYY-MM-DD"),
    ("20080317_eerstejaars.csv", "YYYY-MM-DD"),
    ("2008-02-30_eerstejaars.csv", "not a valid date"),
])
def test_delivery_without_a_valid_date_prefix_is_rejected(con, raw_dir, name, reason):
    put(raw_dir, f"duo/ho_eerstejaars/{name}", W_DATA)
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    [rejected] = report.rejected
    assert rejected.path == f"duo/ho_eerstejaars/{name}"
    assert reason in rejected.reason
    assert con.execute("select delivery_file, reason from landing.rejections").fetchall() == [
        (rejected.path, rejected.reason)]
    assert count(con, "select count(*) from landing.ho_eerstejaars") == 0


def test_delivery_date_is_parsed_from_the_name():
    from pathlib import Path
    assert delivery_date_of(Path("2008-03-17_x.csv"), "d") == date(2008, 3, 17)
    assert delivery_date_of(Path("2008-03-17_x.CSV"), "d") == date(2008, 3, 17)
    with pytest.raises(RejectedFile):
        delivery_date_of(Path("2008-03-17.csv"), "d")


def test_missing_dataset_folder_is_reported(con, raw_dir):
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.folder_missing
    assert report.new_deliveries == [] and report.rejected == []
    # the landing tables exist all the same, so downstream models can run on an absent sector
    assert count(con, "select count(*) from landing.ho_eerstejaars") == 0
    assert count(con, "select count(*) from landing.deliveries") == 0


def test_non_csv_files_and_subfolders_are_reported_as_ignored(con, raw_dir):
    put(raw_dir, W_NAME, W_DATA)
    put(raw_dir, "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.xlsx", b"PK\x03\x04")
    put(raw_dir, "duo/ho_eerstejaars/README.txt", b"notes")
    (raw_dir / "duo/ho_eerstejaars/old").mkdir()
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [W_NAME]
    assert report.rejected == []
    ignored = " ".join(report.ignored)
    assert len(report.ignored) == 3
    for name in ("2008-03-17_eerstejaars_ho.xlsx", "README.txt", "duo/ho_eerstejaars/old"):
        assert name in ignored
    assert all("ignored" in note for note in report.ignored)


def test_quarantined_cells_land_with_their_reason_and_are_reported(con, raw_dir):
    data = w_file(w_row(["41", "abc", "-7", "3"]), w_row(["1", "2", "3"]))
    put(raw_dir, W_NAME, data)
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [W_NAME] and report.rejected == []
    reported = {(q["line_number"], q["column_header"], q["raw_value"]) for q in report.quarantined}
    assert reported == {(2, "2003 VROUW", "abc"), (2, "2004 MAN", "-7"), (3, None, None)}
    assert all(q["delivery_file"] == W_NAME and q["reason"] for q in report.quarantined)
    landed = con.execute("select line_number, column_header, raw_value, count_value, quarantine_reason "
                         "from landing.ho_eerstejaars where quarantine_reason is not null "
                         "order by line_number, column_header").fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in landed] == [
        (2, "2003 VROUW", "abc", None), (2, "2004 MAN", "-7", None), (3, None, None, None)]
    assert "expected 17 fields" in landed[2][4]
    assert count(con, "select n_quarantined from landing.deliveries") == 3
    good = con.execute("select count_value from landing.ho_eerstejaars where quarantine_reason is null "
                       "order by column_header").fetchall()
    assert good == [(41,), (3,)]


def test_wide_and_long_deliveries_of_one_dataset_land_in_one_table(con, raw_dir):
    put(raw_dir, W_NAME, W_DATA)
    put(raw_dir, L_NAME, l_file(l_row(2007, "MAN", "60"), l_row(2007, "VROUW", "-1")))
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [W_NAME, L_NAME]
    layouts = con.execute("select delivery_file, layout from landing.deliveries order by 1").fetchall()
    assert layouts == [(W_NAME, "W"), (L_NAME, "L")]
    assert rows_of(con, L_NAME) == [(2, "AANTAL", "60", 2007, "MAN", 60, False, None),
                                    (3, "AANTAL", "-1", 2007, "VROUW", None, True, None)]
