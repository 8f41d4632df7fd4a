"""Audit committee workbooks: messy-but-valid input accepted, bad rows quarantined, bad files rejected
whole, the landing tables reflecting the folder's current state, and the shipped samples."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipelines.ingest.audits import OLE_MAGIC, ingest_audits, read_audit_workbook
from pipelines.ingest.errors import RejectedFile

from ._audit_workbooks import (HEADER, many_members, replace_member, row, wide_total, workbook,
                               zip_bomb)
from ._raw import put

REPO = Path(__file__).resolve().parents[2]
DISPLAY = "audits/2007_hbo-sprint.xlsx"
KNOWN = {"25KB", "22OJ", "21RI", "1234", "0123"}
MB = 1024 * 1024


def read(data: bytes, known=frozenset(KNOWN)):
    return read_audit_workbook(data, DISPLAY, set(known))


def judgements(result):
    return [(r.row_number, r.instellingscode, r.programma, r.auditjaar, r.oordeel, r.oordeel_raw)
            for r in result.accepted.itertuples()]


def quarantined(result):
    return [tuple(r) for r in result.quarantined.itertuples(index=False)]


def rejection(data: bytes, known=frozenset(KNOWN)) -> RejectedFile:
    with pytest.raises(RejectedFile) as exc:
        read(data, known)
    assert exc.value.path == DISPLAY
    return exc.value


# --- messy but valid -----------------------------------------------------------------------------

def test_messy_committee_workbook_is_accepted():
    data = workbook([
        row(code=" 22oj ", programma="Hbo-sprint", jaar="2007", oordeel="twijfelachtig"),        # row 4
        row(code=1234, programma="HBO SPRINT", jaar=2007, oordeel=" NEGATIEF "),                 # row 5
        [None] * 7,                                                                              # row 6
        row(code="0123", naam="  Hogeschool \u00a0 Leiden ", programma="hbo_sprint", jaar=" 2007 ",
            oordeel="Positief", voorzitter=None, toelichting=None),                              # row 7
        row(code="25KB", jaar=2007.0, oordeel="Twijfel "),                                       # row 8
        ["  ", None, "", None, " ", None, None],                                                 # row 9
    ], title="Auditcommissie HBO-Sprint — oordelen ronde 2007", trailing_empty_rows=5)

    result = read(data)

    assert result.header_row == 3 and result.sheet == "Oordelen"
    assert quarantined(result) == []
    assert judgements(result) == [
        (4, "22OJ", "HBO-SPRINT", 2007, "twijfel", "twijfelachtig"),
        (5, "1234", "HBO-SPRINT", 2007, "negatief", " NEGATIEF "),
        (7, "0123", "HBO-SPRINT", 2007, "positief", "Positief"),
        (8, "25KB", "HBO-SPRINT", 2007, "twijfel", "Twijfel "),
    ]
    accepted = result.accepted
    assert list(accepted.columns) == ["audit_file", "sheet", "row_number", "instellingscode", "instellingsnaam",
                                      "programma", "auditjaar", "oordeel", "oordeel_raw", "voorzitter",
                                      "toelichting"]
    assert set(accepted["audit_file"]) == {DISPLAY} and set(accepted["sheet"]) == {"Oordelen"}
    assert str(accepted["auditjaar"].dtype) == "int64"
    assert accepted.loc[2, "instellingsnaam"] == "Hogeschool Leiden"
    assert accepted.loc[2, ["voorzitter", "toelichting"]].isna().all()
    assert accepted.loc[0, "voorzitter"] == "drs. W. van Oosterom"


def test_header_is_found_by_name_in_any_order_and_the_optional_columns_may_be_absent():
    header = [" oordeel ", "AUDITJAAR", "Opmerking", "instellingscode", "InstellingsNaam", "PROGRAMMA"]
    data = workbook([
        ["negatief", "2006", "", "21ri", "Hogeschool Leiden", "WO sprint"],
        [None, None, "nagekomen: zie brief", None, None, None],  # only an unrecognised column: not a row
    ], header=header, header_row=2)
    result = read(data)
    assert result.header_row == 2
    assert judgements(result) == [(3, "21RI", "WO-SPRINT", 2006, "negatief", "negatief")]
    assert result.accepted[["voorzitter", "toelichting"]].isna().all().all()
    assert quarantined(result) == []


def test_all_programmas_and_spellings():
    spellings = {"vtb": "VTB", " Universum ": "UNIVERSUM", "Jet-Net": "JET-NET", "JET NET": "JET-NET",
                 "vmbo ambitie": "VMBO-AMBITIE", "MBO-Ambitie": "MBO-AMBITIE", "wo_sprint": "WO-SPRINT"}
    data = workbook([row(programma=p, jaar=2000 + i) for i, p in enumerate(spellings)])
    assert [r[2] for r in judgements(read(data))] == list(spellings.values())


def test_a_wrong_dimension_element_does_not_truncate_the_sheet():
    data = workbook([row(), row(code="22OJ"), row(code="21RI")])
    lying = replace_member(data, "xl/worksheets/sheet1.xml",
                           lambda xml: re.sub(rb'<dimension ref="A1:G4" ?/>', b'<dimension ref="A1"/>', xml))
    assert lying != data
    assert [r[1] for r in judgements(read(lying))] == ["25KB", "22OJ", "21RI"]


# --- quarantine ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("bad", "column", "value", "reason"), [
    (row(oordeel="onvoldoende"), "Oordeel", "onvoldoende",
     "unknown oordeel (expected positief, twijfel or negatief)"),
    (row(oordeel=None), "Oordeel", None, "missing oordeel"),
    (row(code="30GB"), "Instellingscode", "30GB", "unknown institution code (not in reference/institutions.csv)"),
    (row(code="12ABC"), "Instellingscode", "12ABC", "institution code is not 4 characters [0-9A-Z]"),
    (row(code=123), "Instellingscode", "123", "institution code is not 4 characters [0-9A-Z]"),
    (row(code=None), "Instellingscode", None, "missing institution code"),
    (row(jaar=None), "Auditjaar", None, "missing auditjaar"),
    (row(jaar="2007/2008"), "Auditjaar", "2007/2008", "auditjaar is not a year"),
    (row(jaar=207), "Auditjaar", "207", "auditjaar is not a year"),
    (row(programma="HBO-SPRINTER"), "Programma", "HBO-SPRINTER", "unknown programma"),
])
def test_a_bad_row_is_quarantined_with_row_number_column_value_and_reason(bad, column, value, reason):
    result = read(workbook([row(), bad, row(code="22OJ")], title="Auditcommissie"))
    assert [r[0] for r in judgements(result)] == [4, 6]
    [(audit_file, sheet, row_number, q_column, q_value, q_reason)] = quarantined(result)
    assert (audit_file, sheet, row_number, q_column, q_value) == (DISPLAY, "Oordelen", 5, column, value)
    assert q_reason.startswith(reason)


def test_every_problem_of_a_row_is_reported():
    result = read(workbook([row(code="99XX", oordeel="onvoldoende", jaar="ooit")]))
    assert judgements(result) == []
    assert [(r[2], r[3], r[4]) for r in quarantined(result)] == [
        (2, "Instellingscode", "99XX"), (2, "Auditjaar", "ooit"), (2, "Oordeel", "onvoldoende")]


def test_repeated_and_conflicting_judgements():
    result = read(workbook([
        row(code="25KB", oordeel="positief"),   # 2
        row(code="25kb ", oordeel="Positief"),  # 3: repeats row 2
        row(code="22OJ", oordeel="twijfel"),    # 4: conflicts with 5
        row(code="22OJ", oordeel="negatief"),   # 5
        row(code="22OJ", jaar=2006),            # 6: another year, fine
    ]))
    assert [r[0] for r in judgements(result)] == [2, 6]
    assert [(r[2], r[3], r[5]) for r in quarantined(result)] == [
        (3, "Instellingscode", "repeats row 2 (same institution, programma, auditjaar and oordeel)"),
        (4, "Oordeel", "conflicting judgements for the same institution, programma and auditjaar (rows 4, 5)"),
        (5, "Oordeel", "conflicting judgements for the same institution, programma and auditjaar (rows 4, 5)"),
    ]


def test_without_known_institutions_every_row_is_quarantined():
    result = read(workbook([row(), row(code="22OJ")]), known=frozenset())
    assert judgements(result) == []
    assert {r[5] for r in quarantined(result)} == {
        "unknown institution code (no institutions reference loaded; every code is unknown)"}


# --- rejected whole ------------------------------------------------------------------------------

def _header_without(name):
    return [h for h in HEADER if h != name]


@pytest.mark.parametrize(("build", "reason", "line", "column"), [
    (lambda: b"Instellingscode;Oordeel\r\n25KB;positief\r\n", "not an Excel workbook (.xlsx): the file is a text "
     "file (a CSV renamed to .xlsx?)", None, None),
    (lambda: bytes(range(256)) * 8, "not an Excel workbook (.xlsx): the file is not a zip package", None, None),
    (lambda: b"", "empty file, not an Excel workbook", None, None),
    (lambda: OLE_MAGIC + bytes(504), "password-protected or encrypted workbook", None, None),
    (lambda: workbook([row()], sheet="Blad1", extra_sheets=["Toelichting"]),
     "no sheet 'Oordelen' (sheets found: 'Blad1', 'Toelichting')", None, None),
    (lambda: workbook([row()[:4] + row()[5:]], header=_header_without("Oordeel"), title="Auditcommissie"),
     "required column 'Oordeel' missing from the header in row 3 of sheet 'Oordelen'", 3, "Oordeel"),
    (lambda: workbook([row()[:3] + row()[5:]], header=[h for h in HEADER if h not in ("Auditjaar", "Oordeel")]),
     "required columns 'Auditjaar', 'Oordeel' missing from the header in row 1", 1, "Auditjaar, Oordeel"),
    (lambda: workbook([["a", "b"]], header=["Naam", "Score"]), "no header row with Instellingscode | "
     "Instellingsnaam | Programma | Auditjaar | Oordeel in the first 10 rows of sheet 'Oordelen'", None, None),
    (lambda: workbook([row()], header=[*HEADER, "oordeel"]),
     "column 'Oordeel' appears more than once in the header (columns E and H)", 1, "Oordeel"),
    (lambda: workbook([], title="Auditcommissie", trailing_empty_rows=5),
     "sheet 'Oordelen' has a header (row 3) but no judgement rows", 3, None),
])
def test_unusable_file_is_rejected_with_its_reason(build, reason, line, column):
    rejected = rejection(build())
    assert rejected.reason.startswith(reason), rejected.reason
    assert (rejected.line, rejected.column) == (line, column)


def test_a_zip_that_is_not_a_workbook_is_rejected():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "geen werkmap")
    assert "zip package without [Content_Types].xml" in rejection(buffer.getvalue()).reason

    broken = replace_member(workbook([row()]), "xl/workbook.xml", lambda xml: xml[: len(xml) // 2])
    assert rejection(broken).reason.startswith("cannot be opened as an Excel workbook")


LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lololololol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10)) + b"]>")


@pytest.mark.parametrize(("transform", "reason"), [
    (lambda xml: xml[: len(xml) // 2], "sheet 'Oordelen' cannot be read (ParseError: no element found"),
    (lambda xml: LAUGHS + re.sub(rb"^<\?xml[^>]*\?>", b"", xml).replace(b"<t>25KB</t>", b"<t>&lol9;</t>"),
     "sheet 'Oordelen' cannot be read (ParseError: limit on input amplification factor"),
])
def test_broken_or_entity_bomb_sheet_xml_is_rejected(transform, reason):
    data = replace_member(workbook([row()]), "xl/worksheets/sheet1.xml", transform)
    assert rejection(data).reason.startswith(reason)


def test_zip_bomb_is_refused_before_openpyxl_inflates_it():
    bomb = zip_bomb(50 * MB)
    assert len(bomb) < MB
    reason = rejection(bomb).reason
    assert "zip member 'xl/worksheets/sheet1.xml' expands" in reason and "refused as a zip bomb" in reason


def test_members_that_expand_too_far_together_are_refused():
    data = wide_total(members=210, member_bytes=1_000_000)  # each under the ratio check, 200 MB in total
    assert "MB in total, more than the 200 MB limit; refused as a zip bomb" in rejection(data).reason


def test_too_many_zip_members_are_refused():
    assert rejection(many_members(1001)).reason.startswith("zip package has 1001 members, more than the limit of 1000")


def test_too_large_file_is_refused():
    reason = rejection(b"PK\x03\x04" + bytes(20 * MB)).reason
    assert reason == "file is 20.0 MB, larger than the 20 MB limit for an audit workbook"


def test_too_many_rows_are_refused():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Oordelen"
    ws.append(HEADER)
    ws.append(row())
    ws.cell(row=100_001, column=1, value="25KB")
    buffer = io.BytesIO()
    wb.save(buffer)
    rejected = rejection(buffer.getvalue())
    assert rejected.reason.startswith("sheet 'Oordelen' has more than 100,000 rows")
    assert rejected.line == 100_001


# --- landing: current state ----------------------------------------------------------------------

def with_institutions(con, *codes):
    con.execute("create schema if not exists landing")
    con.execute("create or replace table landing.institutions (instellingscode varchar)")
    con.executemany("insert into landing.institutions values (?)", [[c] for c in codes])


def landed(con, file=None):
    sql = "select audit_file, row_number, instellingscode, oordeel from landing.audit_judgements"
    if file:
        return con.execute(sql + " where audit_file = ? order by all", [file]).fetchall()
    return con.execute(sql + " order by all").fetchall()


def test_ingest_lands_rows_quarantine_and_reports_ignored_files(con, raw_dir):
    with_institutions(con, "25KB", "22OJ")
    data = workbook([row(), row(code="22OJ", oordeel="twijfelachtig"), row(code="99XX")], title="Commissie")
    put(raw_dir, "audits/2007_hbo-sprint.xlsx", data)
    put(raw_dir, "audits/~$2007_hbo-sprint.xlsx", b"lock")
    put(raw_dir, "audits/toelichting.docx", b"PK")
    (raw_dir / "audits" / "archief").mkdir()

    summary = ingest_audits(con, raw_dir, "run-1")

    assert summary["files_read"] == [DISPLAY]
    assert summary["rejected"] == [] and summary["removed"] == [] and summary["folder_missing"] is False
    assert summary["rows_loaded"] == 2
    assert summary["ignored"] == [
        "audits/archief: not an .xlsx workbook, ignored",
        "audits/toelichting.docx: not an .xlsx workbook, ignored",
        "audits/~$2007_hbo-sprint.xlsx: hidden file or Excel lock file, ignored",
    ]
    assert summary["quarantined"] == [{
        "audit_file": DISPLAY, "sheet": "Oordelen", "row_number": 6, "column_header": "Instellingscode",
        "value": "99XX", "reason": "unknown institution code (not in reference/institutions.csv)"}]
    assert landed(con) == [(DISPLAY, 4, "25KB", "positief"), (DISPLAY, 5, "22OJ", "twijfel")]
    digest = hashlib.sha256(data).hexdigest()
    assert con.execute("select distinct sha256 from landing.audit_judgements").fetchall() == [(digest,)]
    assert con.execute("select audit_file, sheet, row_number, column_header, value, reason, sha256 "
                       "from landing.audit_quarantine").fetchall() == [
        (DISPLAY, "Oordelen", 6, "Instellingscode", "99XX",
         "unknown institution code (not in reference/institutions.csv)", digest)]


def test_landing_table_schemas(con, raw_dir):
    ingest_audits(con, raw_dir, "run-1")
    def columns(table):
        return con.execute("select column_name, data_type from information_schema.columns where "
                           "table_schema = 'landing' and table_name = ? order by ordinal_position",
                           [table]).fetchall()
    text = "VARCHAR"
    assert columns("audit_judgements") == [
        ("audit_file", text), ("sheet", text), ("row_number", "INTEGER"), ("instellingscode", text),
        ("instellingsnaam", text), ("programma", text), ("auditjaar", "INTEGER"), ("oordeel", text),
        ("oordeel_raw", text), ("voorzitter", text), ("toelichting", text), ("sha256", text)]
    assert columns("audit_quarantine") == [
        ("audit_file", text), ("sheet", text), ("row_number", "INTEGER"), ("column_header", text),
        ("value", text), ("reason", text), ("sha256", text)]


def test_a_rejected_new_version_keeps_the_earlier_rows_of_that_file(con, raw_dir):
    with_institutions(con, "25KB", "22OJ")
    path = put(raw_dir, "audits/2007_hbo-sprint.xlsx", workbook([row(), row(code="22OJ", oordeel="twijfel")]))
    ingest_audits(con, raw_dir, "run-1")
    before = landed(con)
    bad = b"Instellingscode;Oordeel\n25KB;negatief\n"
    path.write_bytes(bad)

    summary = ingest_audits(con, raw_dir, "run-2")

    assert summary["files_read"] == [] and summary["rows_loaded"] == 0
    assert summary["rejected"] == [f"{DISPLAY}: not an Excel workbook (.xlsx): the file is a text file "
                                   "(a CSV renamed to .xlsx?)"]
    assert summary["kept_previous"] == {DISPLAY: 2}
    assert landed(con) == before
    assert con.execute("select run_id, dataset, delivery_file, sha256, line, column_header from landing.rejections"
                       ).fetchall() == [("run-2", "audits", DISPLAY, hashlib.sha256(bad).hexdigest(), None, None)]


def test_a_rejected_file_with_a_line_records_it(con, raw_dir):
    with_institutions(con, "25KB")
    put(raw_dir, "audits/x.xlsx", workbook([row()[:4]], header=HEADER[:4], title="Commissie"))
    ingest_audits(con, raw_dir, "run-1")
    assert con.execute("select line, column_header from landing.rejections").fetchall() == [(3, "Oordeel")]


def test_an_accepted_new_version_replaces_the_rows_of_that_file(con, raw_dir):
    with_institutions(con, "25KB", "22OJ", "21RI")
    other = put(raw_dir, "audits/2006_hbo-sprint.xlsx", workbook([row(code="21RI", jaar=2006)]))
    path = put(raw_dir, "audits/2007_hbo-sprint.xlsx", workbook([row(), row(code="22OJ"), row(oordeel="slecht")]))
    ingest_audits(con, raw_dir, "run-1")
    assert con.execute("select count(*) from landing.audit_quarantine").fetchall() == [(1,)]

    path.write_bytes(workbook([row(code="22OJ", oordeel="negatief")]))
    summary = ingest_audits(con, raw_dir, "run-2")

    assert summary["files_read"] == ["audits/2006_hbo-sprint.xlsx", DISPLAY]
    assert landed(con, DISPLAY) == [(DISPLAY, 2, "22OJ", "negatief")]
    assert landed(con, "audits/2006_hbo-sprint.xlsx") == [("audits/2006_hbo-sprint.xlsx", 2, "21RI", "positief")]
    assert con.execute("select count(*) from landing.audit_quarantine").fetchall() == [(0,)]
    assert other.exists()


def test_a_deleted_workbook_loses_its_rows(con, raw_dir):
    with_institutions(con, "25KB", "21RI")
    put(raw_dir, "audits/2006_hbo-sprint.xlsx", workbook([row(code="21RI", jaar=2006), row(code="XXXX")]))
    gone = put(raw_dir, "audits/2007_hbo-sprint.xlsx", workbook([row(), row(code="XXXX")]))
    ingest_audits(con, raw_dir, "run-1")
    gone.unlink()

    summary = ingest_audits(con, raw_dir, "run-2")

    assert summary["removed"] == [DISPLAY]
    assert landed(con) == [("audits/2006_hbo-sprint.xlsx", 2, "21RI", "positief")]
    assert con.execute("select distinct audit_file from landing.audit_quarantine").fetchall() == [
        ("audits/2006_hbo-sprint.xlsx",)]


def test_without_an_audits_folder_nothing_is_left(con, raw_dir):
    with_institutions(con, "25KB")
    folder = raw_dir / "audits"
    put(raw_dir, "audits/2007_hbo-sprint.xlsx", workbook([row()]))
    ingest_audits(con, raw_dir, "run-1")
    (folder / "2007_hbo-sprint.xlsx").unlink()
    folder.rmdir()
    summary = ingest_audits(con, raw_dir, "run-2")
    assert summary["folder_missing"] is True and summary["removed"] == [DISPLAY]
    assert landed(con) == []


def test_without_the_institutions_table_every_row_is_quarantined(con, raw_dir):
    put(raw_dir, "audits/2007_hbo-sprint.xlsx", workbook([row(), row(code="22OJ")]))
    summary = ingest_audits(con, raw_dir, "run-1")
    assert summary["rows_loaded"] == 0 and len(summary["quarantined"]) == 2
    assert con.execute("select count(*) from landing.audit_quarantine").fetchall() == [(2,)]


# --- the shipped samples and their generator -----------------------------------------------------

def _generator():
    """scripts/ is not a package: load the generator from its file (registered, for its dataclasses)."""
    name = "_audit_generator_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "generate_audit_workbooks.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def _institutions_csv() -> set[str]:
    with (REPO / "raw" / "reference" / "institutions.csv").open(encoding="utf-8-sig", newline="") as fh:
        return {r["instellingscode"] for r in csv.DictReader(fh, delimiter=";")}


def _read_shipped(name: str, known: set[str]):
    path = REPO / "raw" / "audits" / name
    return read_audit_workbook(path.read_bytes(), f"audits/{name}", known)


def test_shipped_hbo_sprint_workbooks_give_9_hogescholen_in_2006_and_3_in_2007():
    known = _institutions_csv()
    counts = {}
    for year in (2006, 2007):
        result = _read_shipped(f"{year}_hbo-sprint.xlsx", known)
        assert quarantined(result) == []
        rows = result.accepted
        assert set(rows["programma"]) == {"HBO-SPRINT"} and set(rows["auditjaar"]) == {year}
        assert "27UM" not in set(rows["instellingscode"])
        doubtful = rows[rows["oordeel"].isin(["twijfel", "negatief"])]
        counts[year] = doubtful["instellingscode"].nunique()
        assert set(rows.loc[~rows.index.isin(doubtful.index), "oordeel"]) == {"positief"}
    assert counts == {2006: 9, 2007: 3}


def test_shipped_workbooks_read_cleanly_once_the_invented_schools_are_known():
    generator = _generator()
    known = _institutions_csv() | set(generator.INVENTED_INSTITUTIONS)
    programmas = {}
    for path in sorted((REPO / "raw" / "audits").glob("*.xlsx")):
        result = _read_shipped(path.name, known)
        assert quarantined(result) == [], path.name
        assert result.header_row == 3
        programmas[path.name] = sorted(set(result.accepted["programma"]))
    assert programmas == {
        "2006_hbo-sprint.xlsx": ["HBO-SPRINT"], "2007_hbo-sprint.xlsx": ["HBO-SPRINT"],
        "2007_universum.xlsx": ["UNIVERSUM"], "2007_vmbo-ambitie.xlsx": ["VMBO-AMBITIE"],
        "2007_wo-sprint.xlsx": ["WO-SPRINT"]}


def test_generator_reproduces_the_shipped_workbooks_byte_for_byte(tmp_path):
    # The workbooks follow the raw dir's programs and institutions: those of the shipped sample.
    for folder in ("programs", "reference"):
        shutil.copytree(REPO / "raw" / folder, tmp_path / folder)
    written = _generator().generate(tmp_path)
    shipped = sorted(p.name for p in (REPO / "raw" / "audits").glob("*.xlsx"))
    assert sorted(p.name for p in written) == shipped
    for path in written:
        assert path.read_bytes() == (REPO / "raw" / "audits" / path.name).read_bytes(), path.name


# --- issue 17: an audit round after the run's as-of date -------------------------------------------

def test_an_auditjaar_after_the_as_of_date_is_quarantined():
    from datetime import date

    data = workbook([row(jaar=2007), row(code="22OJ", jaar=2099), row(code="21RI", jaar=2009)])
    result = read_audit_workbook(data, DISPLAY, set(KNOWN), as_of=date(2009, 3, 16))
    assert [j[:4] for j in judgements(result)] == [(2, "25KB", "HBO-SPRINT", 2007), (4, "21RI", "HBO-SPRINT", 2009)]
    assert quarantined(result) == [(DISPLAY, "Oordelen", 3, "Auditjaar", "2099",
                                    "auditjaar 2099 is after the run's as-of date 2009-03-16 "
                                    "(a round that cannot have been judged yet)")]
    # without an as-of date the run is as of today: 2099 is still in the future, 2009 is not
    assert [q[2] for q in quarantined(read(data))] == [3]


def test_ingest_audits_quarantines_a_round_dated_after_the_as_of_date(con, raw_dir):
    from datetime import date

    with_institutions(con, "25KB")
    put(raw_dir, "audits/2099_wo-sprint.xlsx", workbook([row(programma="WO-SPRINT", jaar=2099)]))
    summary = ingest_audits(con, raw_dir, "run-1", as_of=date(2009, 3, 16))
    assert summary["rows_loaded"] == 0 and landed(con) == []
    assert [(q["row_number"], q["column_header"], q["value"]) for q in summary["quarantined"]] == [(2, "Auditjaar", "2099")]
