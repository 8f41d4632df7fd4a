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
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding.startswith("utf-8") else encoding
        # utf-8-sig counts offsets after the BOM
        offset = exc.start + (len(UTF8_BOM) if encoding == "utf-8-sig" and data.startswith(UTF8_BOM) else 0)
        raise RejectedFile(display, f"not valid {name} ({exc.reason} at byte {offset})",
                           line=_line_of_offset(data, offset)) from None


def detect_encoding(data: bytes) -> str:
    """DUO publishes cp1252/ISO-8859-1, UTF-8 with BOM and UTF-8 without BOM (contract 10.1).

    A BOM decides; otherwise text that is valid UTF-8 is UTF-8 (cp1252 text with accented letters is
    practically never valid UTF-8, while reading UTF-8 as cp1252 would silently give mojibake such
    as `FryslÃ¢n`); everything else is cp1252, decoded strictly.
    """
    if data.startswith(UTF8_BOM):
        return "utf-8-sig"
    if data.isascii():
        return "ascii"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def sniff_delimiter(first_line: str) -> str:
    return "," if first_line.count(",") > first_line.count(";") else ";"


def read_delimited(path: Path, data: bytes, display: str, *, encoding: str = "auto") -> DelimitedFile:
    """Read a `;` or `,` delimited file into numbered records.

    `encoding="auto"` (every DUO file, `;` or `,`) detects cp1252 / UTF-8 / UTF-8 with BOM; our own
    reference files pass `utf-8-sig`.
    """
    if b"\x00" in data[:4096]:
        raise RejectedFile(display, "binary content: not a text/CSV file", line=1)
    if not data.strip():
        raise RejectedFile(display, "empty file: no header row", line=1)
    first_line = data.split(b"\n", 1)[0].decode("latin-1")
    delimiter = sniff_delimiter(first_line)
    if encoding == "auto":
        encoding = detect_encoding(data)
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
