"""A delimited DUO delivery into DuckDB, one row per record with its physical line number.

Python streams the file once (sha256, size, encoding, line endings, bytes DuckDB must not see) and,
when it is not UTF-8, transcodes it strictly to a UTF-8 copy: decoding and its rejection messages stay
in Python (contract 10.1). DuckDB then reads every physical line as one text value, numbered in file
order, and splits it into fields (a plain split, or a CSV field pattern where the line has quotes).

Where a line cannot be split on its own (a quoted field that spans lines, a malformed quote, mixed
line endings, NUL or control bytes), the file takes the exact path: the stdlib `csv` module streams it
and writes each record with the line it starts on as one JSON line for DuckDB to load. Both paths give
the same records with the same line numbers; no delivery is ever held whole in Python objects.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.ingest import guards
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reader import UTF8_BOM, sniff_delimiter
from pipelines.warehouse import sql_literal

CHUNK = 1 << 20
RECORDS_TABLE = "_delivery_records"
_LINES_TABLE = "_delivery_lines"
# Bytes DuckDB's line reader must not meet: NUL and the separator it splits lines on (\x01).
_EXACT_PATH_BYTES = (b"\x00", b"\x01")


@dataclass(frozen=True)
class StagedFile:
    """A delivery checked and, where needed, transcoded: `path` is UTF-8 without BOM unless
    `exact_path` (then `path` is the original and `encoding` its encoding)."""

    path: Path
    sha256: str
    size: int
    encoding: str
    delimiter: str
    new_line: str | None  # the one line ending the file uses (None: mixed; the exact path reads it)
    exact_path: bool  # bytes or line endings the line reader cannot take


@dataclass
class _Scan:
    digest: "hashlib._Hash"
    size: int = 0
    head: bytes = b""
    crlf: int = 0
    lf: int = 0
    cr: int = 0
    exact_bytes: bool = False
    utf8_valid: bool = True
    ascii_only: bool = True
    has_text: bool = False


def _scan(source: Path, display: str, limit: int) -> _Scan:
    """One streaming pass: hash, size (bounded), the head, line endings, UTF-8 validity."""
    scan = _Scan(digest=hashlib.sha256())
    utf8 = codecs.getincrementaldecoder("utf-8")()
    previous_cr = False
    with source.open("rb") as fh:
        while block := fh.read(CHUNK):
            scan.size += len(block)
            if scan.size > limit:
                raise RejectedFile(display, f"grew past the declared maximum of {limit:,} bytes per delivery while "
                                            "it was being read (dbt var max_delivery_bytes): rejected")
            scan.digest.update(block)
            if len(scan.head) < 4096:
                scan.head += block[:4096 - len(scan.head)]
            crlf = block.count(b"\r\n") + (1 if previous_cr and block.startswith(b"\n") else 0)
            scan.crlf += crlf
            scan.lf += block.count(b"\n")
            scan.cr += block.count(b"\r")
            previous_cr = block.endswith(b"\r")
            scan.exact_bytes = scan.exact_bytes or any(b in block for b in _EXACT_PATH_BYTES)
            scan.ascii_only = scan.ascii_only and block.isascii()
            scan.has_text = scan.has_text or bool(block.strip())
            if scan.utf8_valid:
                try:
                    utf8.decode(block)
                except UnicodeDecodeError:
                    scan.utf8_valid = False
    if scan.utf8_valid:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            scan.utf8_valid = False
    scan.lf -= scan.crlf
    scan.cr -= scan.crlf
    return scan


def _new_line(scan: _Scan) -> str | None:
    """The one line ending of the file, or None when it mixes them (DuckDB would count lines apart)."""
    used = [name for name, n in (("\\r\\n", scan.crlf), ("\\n", scan.lf), ("\\r", scan.cr)) if n]
    if len(used) > 1:
        return None
    return used[0] if used else "\\n"


def _line_of_offset(source: Path, offset: int) -> int:
    line = 1
    with source.open("rb") as fh:
        while offset > 0 and (block := fh.read(min(CHUNK, offset))):
            line += block.count(b"\n")
            offset -= len(block)
    return line


def _decodes_as(source: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with source.open("rb") as fh:
            while block := fh.read(CHUNK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _transcode(source: Path, target: Path, encoding: str, display: str) -> None:
    """Strictly decode `source` and write it as UTF-8 (no BOM). A byte that does not fit rejects the file,
    naming the byte offset and its line."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = 0
    with source.open("rb") as src, target.open("w", encoding="utf-8", newline="") as out:
        while True:
            block = src.read(CHUNK)
            try:
                out.write(decoder.decode(block, final=not block))
            except UnicodeDecodeError as exc:
                name = "UTF-8" if encoding.startswith("utf-8") else encoding
                offset = consumed + exc.start
                raise RejectedFile(display, f"not valid {name} ({exc.reason} at byte {offset})",
                                   line=_line_of_offset(source, offset)) from None
            if not block:
                return
            consumed += len(block)


def stage(source: Path, display: str, limit: int, work_dir: Path) -> StagedFile:
    """Check a DUO delivery's bytes and make a UTF-8 copy where DuckDB needs one."""
    scan = _scan(source, display, limit)
    head = scan.head
    if b"\x00" in head:
        raise guards.explain_encoding(RejectedFile(display, "binary content: not a text/CSV file", line=1), head)
    if not scan.has_text:
        raise RejectedFile(display, "empty file: no header row", line=1)
    delimiter = sniff_delimiter(head.split(b"\n", 1)[0].decode("latin-1"))
    if head.startswith(UTF8_BOM):
        encoding = "utf-8-sig"
    elif scan.ascii_only:
        encoding = "ascii"
    else:
        encoding = "utf-8" if scan.utf8_valid else "cp1252"
    digest = scan.digest.hexdigest()
    new_line = _new_line(scan)
    exact = scan.exact_bytes or new_line is None
    if encoding == "utf-8-sig" and not scan.utf8_valid:
        rejected = _decode_error(source, "utf-8", display, skip=len(UTF8_BOM))
        if _decodes_as(source, "cp1252"):
            rejected = RejectedFile(display, f"wrong encoding: {rejected.reason}; the bytes look like cp1252 "
                                             "(Windows-1252): this file must be UTF-8, save it again as UTF-8",
                                    line=rejected.line)
        raise rejected
    if exact:
        if encoding == "cp1252":
            _check_decodes(source, "cp1252", display)
        return StagedFile(source, digest, scan.size, encoding, delimiter, new_line, exact_path=True)
    if encoding != "cp1252":
        # DuckDB reads UTF-8 as it is (it drops a leading BOM itself).
        return StagedFile(source, digest, scan.size, encoding, delimiter, new_line, exact_path=False)
    target = work_dir / f"{digest}.utf8.csv"
    _transcode(source, target, encoding, display)
    return StagedFile(target, digest, scan.size, encoding, delimiter, new_line, exact_path=False)


def _decode_error(source: Path, encoding: str, display: str, skip: int = 0) -> RejectedFile:
    decoder = codecs.getincrementaldecoder(encoding)()
    consumed = 0
    with source.open("rb") as fh:
        fh.read(skip)
        while True:
            block = fh.read(CHUNK)
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                name = "UTF-8" if encoding.startswith("utf-8") else encoding
                # offsets count from the file's first byte, BOM included
                offset = skip + consumed + exc.start
                return RejectedFile(display, f"not valid {name} ({exc.reason} at byte {offset})",
                                    line=_line_of_offset(source, offset))
            if not block:
                raise AssertionError("no decode error found")  # pragma: no cover - only called after one
            consumed += len(block)


def _check_decodes(source: Path, encoding: str, display: str) -> None:
    if not _decodes_as(source, encoding):
        raise _decode_error(source, encoding, display)


# One CSV field: quoted (`""` is a quote), unquoted (a quote only opens a field at its start), or empty.
_FIELD = '"(?:[^"]|"")*"|[^"{d}][^{d}]*|'


def load_records(con: duckdb.DuckDBPyConnection, staged: StagedFile, display: str, work_dir: Path) -> int:
    """Fill the temp table `_delivery_records(line_number, fields)`, one row per record (the header is
    line 1; blank lines are records without fields). Returns the number of records after the header."""
    if staged.exact_path or not _load_lines(con, staged):
        _load_exact(con, staged, display, work_dir)
    return con.execute(f"select count(*) - 1 from {RECORDS_TABLE}").fetchone()[0]


def _load_lines(con: duckdb.DuckDBPyConnection, staged: StagedFile) -> bool:
    """The fast path: DuckDB numbers the physical lines and splits each; False when a line with quotes
    is not a complete record on its own (the exact path then reads the file)."""
    d = staged.delimiter
    field = _FIELD.format(d=d)
    con.execute(f"""
        create or replace temp table {_LINES_TABLE} as
        select row_number() over () as line_number, line
        from read_csv({sql_literal(str(staged.path))}, columns = {{'line': 'varchar'}}, header = false,
                      delim = chr(1), quote = '', escape = '', new_line = {sql_literal(staged.new_line)},
                      auto_detect = false, strict_mode = false)""")
    split_on_own = con.execute(f"""
        select count(*) = 0 from {_LINES_TABLE}
        where contains(line, '"') and not regexp_full_match(line, {sql_literal(f'(?:{field})(?:{d}(?:{field}))*')})
    """).fetchone()[0]
    if split_on_own:
        unquote = "lambda f: case when f[1] = '\"' then replace(f[2:-2], '\"\"', '\"') else f end"
        con.execute(f"""
            create or replace temp table {RECORDS_TABLE} as
            select line_number::integer as line_number,
                   case when line is null then []::varchar[]
                        when contains(line, '"') then list_transform(
                            regexp_extract_all({sql_literal(d)} || line, {sql_literal(f'{d}({field})')}, 1), {unquote})
                        else string_split(line, {sql_literal(d)}) end as fields
            from {_LINES_TABLE}""")
    con.execute(f"drop table if exists {_LINES_TABLE}")
    return split_on_own


def _load_exact(con: duckdb.DuckDBPyConnection, staged: StagedFile, display: str, work_dir: Path) -> None:
    """The exact path: the csv module streams the records (its line numbers are the physical ones,
    quoted line breaks included), one JSON line each, which DuckDB loads."""
    target = work_dir / f"{staged.sha256}.records.jsonl"
    encoding = "utf-8" if staged.encoding == "ascii" else staged.encoding
    with staged.path.open("r", encoding=encoding, newline="") as text, target.open("w", encoding="utf-8") as out:
        reader = csv.reader(text, delimiter=staged.delimiter, strict=True)
        line_no = 1
        try:
            for fields in reader:
                out.write(json.dumps({"line_number": line_no, "fields": fields}, ensure_ascii=False))
                out.write("\n")
                line_no = reader.line_num + 1
        except csv.Error as exc:
            raise RejectedFile(display, f"unreadable CSV: {exc}", line=reader.line_num) from None
    con.execute(f"""
        create or replace temp table {RECORDS_TABLE} as
        select line_number, fields
        from read_json({sql_literal(str(target))}, format = 'newline_delimited',
                       columns = {{'line_number': 'integer', 'fields': 'varchar[]'}})""")
    target.unlink()


def header_fields(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The first record's fields (the header); empty when line 1 is blank."""
    row = con.execute(f"select fields from {RECORDS_TABLE} where line_number = 1").fetchone()
    return list(row[0]) if row else []


def drop_records(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"drop table if exists {RECORDS_TABLE}")
