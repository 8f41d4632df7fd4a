"""pipelines/ingest/records.py: DuckDB's records carry the physical line numbers the csv module gives.

The reference is `reader.read_delimited` (the stdlib csv module over the whole decoded file, which the
reference files still use). Every case is read both ways and must give the same records; where the
fast path (DuckDB numbers and splits the lines) cannot be exact, the exact path (csv module, streamed)
must take over, and the tests check which path read the file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest import records
from pipelines.ingest.datasets import HO_EERSTEJAARS
from pipelines.ingest.deliveries import read_delivery
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reader import read_delimited

DISPLAY = "duo/ho_eerstejaars/2020-03-01_x.csv"


def duckdb_records(data: bytes, tmp_path: Path, monkeypatch=None) -> tuple[list, str]:
    """(records as (line, fields), the path that read them: "lines" or "exact")."""
    source = tmp_path / "delivery.csv"
    source.write_bytes(data)
    used = []
    exact = records._load_exact

    def spy(*args, **kwargs):
        used.append("exact")
        return exact(*args, **kwargs)

    if monkeypatch is not None:
        monkeypatch.setattr(records, "_load_exact", spy)
    with duckdb.connect() as con:
        staged = records.stage(source, DISPLAY, len(data) + 1, tmp_path)
        records.load_records(con, staged, DISPLAY, tmp_path)
        rows = con.execute(f"select line_number, fields from {records.RECORDS_TABLE} order by line_number").fetchall()
    return [(line, list(fields)) for line, fields in rows], (used[0] if used else "lines")


def csv_records(data: bytes) -> list:
    parsed = read_delimited(Path(DISPLAY), data, DISPLAY)
    return [(1, parsed.header), *parsed.records]


CASES = {
    "quoted fields with delimiters and quotes": (
        b'"NAAM";"CODE";"N"\r\n"Hogeschool; Zuyd";"00IC";"1"\r\n"De ""Kempel""";"21PB";""\r\n', "lines"),
    "comma file with BOM": (b'\xef\xbb\xbf"NAAM","AANTAL"\r\n"B\xc3\xa8ta, Delft",-1\r\n', "lines"),
    "CRLF with blank lines": (b"A;B\r\n1;2\r\n\r\n\r\n3;4\r\n", "lines"),
    "LF with a footer and trailing blank": (b"A;B\n1;2\n3;4\n\nBron: DUO\n\n", "lines"),
    "CR only": (b"A;B\r1;2\r3;4", "lines"),
    "empty and whitespace fields": (b"A;B;C\n;;\n ; x ;\n", "lines"),
    "quote inside an unquoted field": (b'A;B\nab"c;d\n', "lines"),
    "cp1252": ("NAAM;CODE\r\nHogeschool B\xe8ta;00IC\r\nFrysl\xe2n;21PB\r\n".encode("latin-1"), "lines"),
    "quoted field over two lines": (b'"NAAM","AANTAL"\r\n"twee\r\nregels",1\r\n"een",2\r\n', "exact"),
    "quoted field over three lines, LF": (b'A;B\n"x\ny\nz";1\n2;3\n', "exact"),
    "mixed line endings": (b"A;B\n1;2\r\n3;4\n", "exact"),
    "NUL after the first 4096 bytes": (b"A;B\n" + b"1;2\n" * 1200 + b"3;\x004\n", "exact"),
    "control byte \\x01": (b"A;B\n1;\x012\n", "exact"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_duckdb_records_equal_the_csv_modules_with_their_physical_lines(name, tmp_path, monkeypatch):
    data, path = CASES[name]
    try:
        expected = csv_records(data)
    except RejectedFile as rejected:
        with pytest.raises(RejectedFile) as exc:
            duckdb_records(data, tmp_path, monkeypatch)
        assert (exc.value.reason, exc.value.line) == (rejected.reason, rejected.line)
        return
    got, used = duckdb_records(data, tmp_path, monkeypatch)
    assert got == expected
    assert used == path


def test_a_malformed_quote_is_rejected_with_the_csv_modules_line_and_reason(tmp_path):
    data = b'A;B\n1;2\n"ab"c;d\n'
    with pytest.raises(RejectedFile) as exc:
        duckdb_records(data, tmp_path)
    assert exc.value.line == 3 and exc.value.reason.startswith("unreadable CSV")
    with pytest.raises(RejectedFile) as ref:
        csv_records(data)
    assert (exc.value.reason, exc.value.line) == (ref.value.reason, ref.value.line)


def test_a_byte_undefined_in_cp1252_names_its_offset_and_line(tmp_path):
    data = b"A;B\n1;2\n3;\x81\n"
    with pytest.raises(RejectedFile) as exc:
        duckdb_records(data, tmp_path)
    assert exc.value.line == 3 and "not valid cp1252" in exc.value.reason and "at byte 10)" in exc.value.reason
    with pytest.raises(RejectedFile) as ref:
        csv_records(data)
    assert (exc.value.reason, exc.value.line) == (ref.value.reason, ref.value.line)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.lists(st.text(alphabet='ab;"\n\r é', max_size=12), min_size=1, max_size=8))
def test_any_text_gives_the_csv_modules_records_or_its_rejection(tmp_path_factory, lines):
    data = ("H1;H2\n" + "".join(lines)).encode("utf-8")
    tmp_path = tmp_path_factory.mktemp("records")
    try:
        expected = csv_records(data)
    except RejectedFile as rejected:
        with pytest.raises(RejectedFile) as exc:
            duckdb_records(data, tmp_path)
        assert exc.value.line == rejected.line
        return
    assert duckdb_records(data, tmp_path)[0] == expected


def ho_file(*rows: str, ending: str = "\r\n") -> bytes:
    header = ("TYPE HOGER ONDERWIJS;INSTELLINGSCODE ACTUEEL;INSTELLINGSNAAM ACTUEEL;OPLEIDINGSCODE ACTUEEL;"
              "ONDERDEEL;OPLEIDINGSVORM;2015 MAN;2015 VROUW")
    return ending.join([header, *rows, ""]).encode("cp1252")


def test_quarantined_cells_name_their_physical_line_after_a_multi_line_name():
    data = ho_file('hbo;21PB;"Hogeschool\r\nTwee regels";34479;techniek;voltijd onderwijs;10;5',
                   "hbo;21PB;Fontys;34480;techniek;voltijd onderwijs;x;5",
                   "", "Bron: DUO")
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert read.quarantined[["line_number", "column_header", "raw_value"]].values.tolist() == [[4, "2015 MAN", "x"]]
    assert sorted(set(read.cells["line_number"])) == [2, 4]  # the blank line and the footer are not cells


def test_quarantined_cells_name_their_physical_line_in_a_quoted_crlf_file_with_bom():
    rows = ['"hbo";"21PB";"Fontys";"34479";"techniek";"voltijd onderwijs";"10";"5"',
            '"hbo";"21PB";"Fontys";"34480";"techniek";"voltijd onderwijs";"10";"<4"']
    data = b"\xef\xbb\xbf" + ho_file(*rows).decode("cp1252").encode("utf-8")
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert read.quarantined[["line_number", "raw_value"]].values.tolist() == [[3, "<4"]]
