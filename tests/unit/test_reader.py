"""pipelines/ingest/reader.py: strict decoding and physically numbered records."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reader import read_delimited

DISPLAY = "duo/ho_eerstejaars/2008-03-17_x.csv"


def read(data: bytes, **kwargs):
    return read_delimited(Path(DISPLAY), data, DISPLAY, **kwargs)


def test_semicolon_file_is_decoded_as_cp1252_with_crlf_stripped():
    data = "NAAM;CODE\r\nHogeschool Bèta;00IC\r\n".encode("cp1252")
    assert b"\xe8" in data  # è as one cp1252 byte, not UTF-8
    parsed = read(data)
    assert parsed.delimiter == ";"
    assert parsed.encoding == "cp1252"
    assert parsed.header == ["NAAM", "CODE"]
    assert parsed.records == [(2, ["Hogeschool Bèta", "00IC"])]


def test_record_after_blank_lines_keeps_its_physical_line_number():
    parsed = read(b"A;B\r\n1;2\r\n\r\n\r\n3;4\r\n")
    numbered = {line: fields for line, fields in parsed.records}
    assert numbered[2] == ["1", "2"]
    assert numbered[5] == ["3", "4"]
    assert all(fields == [] for line, fields in parsed.records if line in (3, 4))


def test_comma_file_with_bom_is_utf8_and_bom_is_not_part_of_the_header():
    data = b"\xef\xbb\xbf" + '"NAAM","AANTAL"\r\n"Bèta, Delft",-1\r\n'.encode("utf-8")
    parsed = read(data)
    assert parsed.delimiter == ","
    assert parsed.encoding == "utf-8-sig"
    assert parsed.header == ["NAAM", "AANTAL"]
    assert parsed.records == [(2, ["Bèta, Delft", "-1"])]


def test_comma_file_without_bom_is_read_as_utf8():
    parsed = read('"NAAM","AANTAL"\n"Bèta",3\n'.encode("utf-8"))
    assert parsed.encoding == "utf-8"
    assert parsed.records == [(2, ["Bèta", "3"])]


def test_quoted_field_spanning_two_lines_does_not_shift_later_line_numbers():
    data = b'"NAAM","AANTAL"\r\n"twee\r\nregels",1\r\n"een",2\r\n'
    parsed = read(data)
    assert [line for line, _ in parsed.records] == [2, 4]
    assert parsed.records[1][1] == ["een", "2"]


@pytest.mark.parametrize("encoding, expected", [("cp1252", "cp1252"), ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig")])
def test_every_duo_encoding_keeps_frisian_and_dutch_letters(encoding, expected):
    """Contract 10.1: cp1252, UTF-8 with and without BOM; `Fryslân` and `Mariëndael` survive."""
    data = "GEMEENTENAAM;NAAM\nSÚDWEST-FRYSLÂN;Mariëndael\nFryslân;x\n".encode(encoding)
    parsed = read(data)
    assert parsed.encoding == expected
    assert parsed.records == [(2, ["SÚDWEST-FRYSLÂN", "Mariëndael"]), (3, ["Fryslân", "x"])]


def test_pure_ascii_file_is_read_as_ascii():
    assert read(b"A;B\r\n1;2\r\n").encoding == "ascii"


def test_byte_undefined_in_cp1252_is_rejected():
    with pytest.raises(RejectedFile) as exc:
        read(b"NAAM;CODE\r\nA;B\r\nX\x81Y;C\r\n")
    assert "cp1252" in exc.value.reason
    assert exc.value.line == 3


def test_cp1252_bytes_in_a_comma_file_are_read_as_cp1252():
    data = '"NAAM","AANTAL"\r\n"Bèta",1\r\n'.encode("cp1252")
    assert read(data).records == [(2, ["Bèta", "1"])]


def test_invalid_utf8_after_a_bom_is_rejected_with_its_line():
    data = b"\xef\xbb\xbfA;B\r\n1;2\r\nX\xe8Y;3\r\n"
    with pytest.raises(RejectedFile) as exc:
        read(data)
    assert "UTF-8" in exc.value.reason
    assert exc.value.line == 3


def test_binary_file_is_rejected_at_line_1():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"
    with pytest.raises(RejectedFile) as exc:
        read(png)
    assert exc.value.line == 1
    assert "binary" in exc.value.reason


@pytest.mark.parametrize("data", [b"", b"\r\n\r\n  \r\n"], ids=["zero-bytes", "only-blank-lines"])
def test_empty_file_is_rejected_at_line_1(data):
    with pytest.raises(RejectedFile) as exc:
        read(data)
    assert exc.value.line == 1
    assert "empty" in exc.value.reason


def test_unterminated_quote_is_rejected_as_unreadable_csv():
    with pytest.raises(RejectedFile) as exc:
        read(b'"NAAM","AANTAL"\r\n"open,1\r\n')
    assert "unreadable CSV" in exc.value.reason


def test_reference_files_decode_semicolon_files_as_utf8_when_asked():
    data = "naam;soort\nHogeschool Bèta;hbo\n".encode("utf-8")
    parsed = read(data, encoding="utf-8-sig")
    assert parsed.records == [(2, ["Hogeschool Bèta", "hbo"])]


def test_rejected_file_message_names_file_line_column_and_reason():
    err = RejectedFile("duo/x/2008-01-01_a.csv", "bad count", line=7, column="2003 MAN")
    assert str(err) == "duo/x/2008-01-01_a.csv, line 7, column '2003 MAN': bad count"
    assert str(RejectedFile("f.csv", "empty")) == "f.csv: empty"
