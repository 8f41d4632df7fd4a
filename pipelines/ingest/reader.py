"""Decode a delimited raw file and split it into numbered records.

We use the stdlib csv module rather than pandas.read_csv here because every record must keep the
physical line number it came from (provenance for auditors), including across skipped blank lines.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.errors import RejectedFile

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class DelimitedFile:
    header: list[str]
    records: list[tuple[int, list[str]]]  # (line number, fields); line 1 is the header
    encoding: str
    delimiter: str


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode(path: Path, data: bytes, encoding: str, display: str) -> str:
    """Decode strictly; a byte that does not fit the expected encoding rejects the file."""
    if encoding == "utf-8-sig":
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise RejectedFile(display, f"not valid UTF-8 ({exc.reason} at byte {exc.start})",
                               line=_line_of_offset(data, exc.start)) from None
    # cp1252 layouts: a file that is really UTF-8 would decode "successfully" into mojibake,
    # so refuse text that is valid multi-byte UTF-8 instead of guessing.
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            first = next(i for i, b in enumerate(data) if b >= 0x80)
            raise RejectedFile(display, "wrong encoding: the file is UTF-8, this layout must be cp1252",
                               line=_line_of_offset(data, first))
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RejectedFile(display, f"not valid {encoding} ({exc.reason} at byte {exc.start})",
                           line=_line_of_offset(data, exc.start)) from None


def sniff_delimiter(first_line: str) -> str:
    return "," if first_line.count(",") > first_line.count(";") else ";"


def read_delimited(path: Path, data: bytes, display: str, *, semicolon_encoding: str = "cp1252") -> DelimitedFile:
    """Read a `;` (cp1252) or `,` (UTF-8, usually with BOM) file into numbered records."""
    if b"\x00" in data[:4096]:
        raise RejectedFile(display, "binary content: not a text/CSV file", line=1)
    if not data.strip():
        raise RejectedFile(display, "empty file: no header row", line=1)
    first_line = data.split(b"\n", 1)[0].decode("latin-1")
    delimiter = sniff_delimiter(first_line)
    encoding = "utf-8-sig" if (data.startswith(UTF8_BOM) or delimiter == ",") else semicolon_encoding
    text = decode(path, data, encoding, display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    try:
        line_no = 1
        for fields in reader:
            start_line = line_no
            line_no = reader.line_num + 1
            if header is None:
                header = fields
                continue
            records.append((start_line, fields))
    except csv.Error as exc:
        raise RejectedFile(display, f"unreadable CSV: {exc}", line=reader.line_num) from None
    if not header or not any(h.strip() for h in header):
        raise RejectedFile(display, "no header row", line=1)
    return DelimitedFile(header=header, records=records, encoding=encoding, delimiter=delimiter)
