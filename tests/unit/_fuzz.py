"""Seed files and hypothesis strategies that damage them, for tests/unit/test_fuzz_readers.py.

Seeds are small, valid files: the head of every shipped DUO delivery (so every dataset and both HO
layouts are covered, and new sample deliveries join automatically), the reference and program
files, and audit workbooks. The strategies mutate them at three levels: bytes (flip, insert,
delete, truncate, repeat), lines and fields (truncated or dropped lines, stray delimiters and
quotes, huge fields, wrong encodings) and headers (column order, case, `_` for space, typos).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import openpyxl
from hypothesis import strategies as st

from pipelines.ingest.datasets import DATASETS
from pipelines.paths import REPO_ROOT
from tests.unit import _audit_workbooks as wb

RAW = REPO_ROOT / "raw"
HEAD_LINES = 12  # data lines kept from each shipped delivery


@dataclass(frozen=True)
class Seed:
    name: str  # e.g. duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv
    data: bytes
    encoding: str  # how the text was encoded (cp1252, utf-8-sig, utf-8)


def _encoding_of(data: bytes, semicolon_encoding: str = "cp1252") -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    first = data.split(b"\n", 1)[0]
    return "utf-8" if first.count(b",") > first.count(b";") else semicolon_encoding


def _head(data: bytes, encoding: str, n: int) -> bytes:
    """Header, the first n data lines and the footer (lines after the last full-width line)."""
    text = data.decode(encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    delimiter = "," if lines[0].count(",") > lines[0].count(";") else ";"
    width = lines[0].count(delimiter)
    data_lines = [i for i, line in enumerate(lines[1:], start=1) if line.count(delimiter) == width]
    footer = lines[data_lines[-1] + 1:] if data_lines else []
    kept = [lines[0], *(lines[i] for i in data_lines[:n]), *footer]
    out = newline.join(kept)
    return out.encode("utf-8" if encoding == "utf-8-sig" else encoding) if encoding != "utf-8-sig" \
        else b"\xef\xbb\xbf" + out.encode("utf-8")


# DUO's own files (tests/data/duo_real/, unchanged excerpts): the layouts the shipped sample lacks.
REAL = REPO_ROOT / "tests" / "data" / "duo_real"
REAL_SEEDS = {
    "ho_eerstejaars": "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019_excerpt.csv",
    "mbo_eerstejaars": "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_excerpt.csv",
    "vo_examenkandidaten": "examenkandidaten-en-geslaagden-2019-2024_excerpt.csv",
}


def duo_seeds() -> dict[str, list[Seed]]:
    """dataset -> seeds: the head of each shipped delivery of that dataset, and of DUO's real excerpts."""
    seeds: dict[str, list[Seed]] = {}
    for dataset in DATASETS:
        paths = sorted((RAW / "duo" / dataset).glob("*.csv"))
        names = [p.relative_to(RAW).as_posix() for p in paths]
        if dataset in REAL_SEEDS:
            paths.append(REAL / REAL_SEEDS[dataset])
            names.append(f"duo/{dataset}/2020-03-01_{REAL_SEEDS[dataset]}")
        for path, name in zip(paths, names):
            data = path.read_bytes()
            encoding = _encoding_of(data)
            seeds.setdefault(dataset, []).append(Seed(name, _head(data, encoding, HEAD_LINES), encoding))
    return seeds


def csv_seeds(pattern: str, lines: int = 30) -> list[Seed]:
    out = []
    for path in sorted(RAW.glob(pattern)):
        data = path.read_bytes()
        encoding = _encoding_of(data, "utf-8")
        text = data.decode("utf-8-sig").splitlines(keepends=True)[:lines + 1]
        out.append(Seed(path.relative_to(RAW).as_posix(), "".join(text).encode(encoding), encoding))
    return out


# --- byte level ------------------------------------------------------------------------------------

@st.composite
def mutated_bytes(draw, data: bytes, max_ops: int = 8) -> bytes:
    """`data` with 1..max_ops byte-level mutations: flip, insert, delete, truncate, repeat a slice."""
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "repeat", "set_high"]))
        pos = draw(st.integers(0, max(len(buf) - 1, 0)))
        if op == "flip" and buf:
            buf[pos] ^= 1 << draw(st.integers(0, 7))
        elif op == "set_high" and buf:
            buf[pos] = draw(st.sampled_from([0x00, 0x80, 0x81, 0x8D, 0x9D, 0xC3, 0xE9, 0xEF, 0xFF]))
        elif op == "insert":
            buf[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete":
            del buf[pos:pos + draw(st.integers(1, 64))]
        elif op == "truncate":
            del buf[pos:]
        elif op == "repeat" and buf:
            end = min(len(buf), pos + draw(st.integers(1, 200)))
            buf[pos:pos] = buf[pos:end] * draw(st.integers(1, 4))
    return bytes(buf)


# --- line and field level --------------------------------------------------------------------------

ENCODINGS = ["cp1252", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp437", "utf-32"]

_FIELD_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "<5", "-1", "<", "5<", "1.234", "1.2.3", "12,5", "-3", "0", "00IC", "2ZT",
                     "NaN", "inf", "None", "NULL", "n.v.t.", "Totaal",
                     "\"", "\"\"", "'", ";", ",", "\t", "\r", "\n", "\x00", "\ufeff", "€", "ë", "\u2028"]),
)


@st.composite
def huge_field(draw) -> str:
    size = draw(st.sampled_from([1_000, 50_000, 131_073, 300_000]))
    # Not a run of digits: a count too large for int64 is issue #10 (test_duo_huge_counts).
    return draw(st.sampled_from(["x", "<5;", "\"", "é", "1 "])) * size


@st.composite
def mutated_lines(draw, seed: Seed, wrong_encoding: bool = True) -> bytes:
    """The seed's text with line/field mutations, encoded as written or in another encoding."""
    text = seed.data.decode(seed.encoding)
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"])) if draw(st.booleans()) else \
        ("\r\n" if "\r\n" in text else "\n")
    lines = text.replace("\r\n", "\n").split("\n")
    delimiter = "," if lines[0].count(",") > lines[0].count(";") else ";"
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["truncate_line", "drop_line", "duplicate_line", "swap_lines", "set_field",
                                   "huge_field", "insert_line", "drop_field", "add_field", "cut_file"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "truncate_line":
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
        elif op == "drop_line" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate_line":
            lines.insert(i, lines[i])
        elif op == "swap_lines":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert_line":
            lines.insert(i, draw(st.text(max_size=80)))
        elif op == "cut_file":
            lines = lines[:i + 1]
        else:
            fields = lines[i].split(delimiter)
            k = draw(st.integers(0, len(fields) - 1))
            if op == "set_field":
                fields[k] = draw(_FIELD_VALUES)
            elif op == "huge_field":
                fields[k] = draw(huge_field())
            elif op == "drop_field" and len(fields) > 1:
                del fields[k]
            elif op == "add_field":
                fields.insert(k, draw(_FIELD_VALUES))
            lines[i] = delimiter.join(fields)
    out = newline.join(lines)
    encoding = draw(st.sampled_from(ENCODINGS)) if wrong_encoding and draw(st.booleans()) else seed.encoding
    return out.encode(encoding, errors="replace")


# --- header level ----------------------------------------------------------------------------------

def _respell(draw, name: str) -> str:
    quoted = name.startswith('"') and name.endswith('"') and len(name) >= 2
    inner = name[1:-1] if quoted else name
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["lower", "title", "underscore", "space", "pad", "typo_drop", "typo_swap",
                                   "typo_double", "bom"]))
        if op == "lower":
            inner = inner.lower()
        elif op == "title":
            inner = inner.title()
        elif op == "underscore":
            inner = inner.replace(" ", "_")
        elif op == "space":
            inner = inner.replace("_", " ")
        elif op == "pad":
            inner = " " * draw(st.integers(0, 3)) + inner + " " * draw(st.integers(0, 3))
        elif op == "bom":
            inner = "\ufeff" + inner
        elif inner:
            j = draw(st.integers(0, len(inner) - 1))
            if op == "typo_drop":
                inner = inner[:j] + inner[j + 1:]
            elif op == "typo_double":
                inner = inner[:j] + inner[j] + inner[j:]
            elif op == "typo_swap" and j + 1 < len(inner):
                inner = inner[:j] + inner[j + 1] + inner[j] + inner[j + 2:]
    return f'"{inner}"' if quoted else inner


@st.composite
def reordered_header(draw, seed: Seed, typos: bool = True) -> bytes:
    """Columns in another order (data lines permuted alike), header names respelled."""
    text = seed.data.decode(seed.encoding)
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    delimiter = "," if lines[0].count(",") > lines[0].count(";") else ";"
    header = lines[0].lstrip("\ufeff").split(delimiter)
    order = draw(st.permutations(range(len(header))))
    width = len(header)
    out = []
    for n, line in enumerate(lines):
        fields = (line.lstrip("\ufeff") if n == 0 else line).split(delimiter)
        if len(fields) == width:
            fields = [fields[i] for i in order]
        if n == 0 and draw(st.booleans()):
            fields = [_respell(draw, f) if draw(st.booleans()) else f for f in fields] if typos else \
                [f.lower() if draw(st.booleans()) else f for f in fields]
        out.append(delimiter.join(fields))
    body = newline.join(out)
    if seed.encoding == "utf-8-sig":
        return b"\xef\xbb\xbf" + body.encode("utf-8")
    return body.encode(seed.encoding, errors="replace")


# --- audit workbooks -------------------------------------------------------------------------------

def audit_seeds() -> list[Seed]:
    seeds = [Seed(p.relative_to(RAW).as_posix(), p.read_bytes(), "xlsx") for p in sorted((RAW / "audits").glob("*.xlsx"))]
    seeds.append(Seed("audits/built.xlsx", wb.workbook([wb.row(), wb.row(code="21PM", programma="WO-SPRINT")],
                                                       title="Oordelen 2007"), "xlsx"))
    return seeds


@st.composite
def mutated_member(draw, data: bytes) -> bytes:
    """The package rewritten with one member's bytes mutated (so the zip itself stays readable)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = draw(st.sampled_from(archive.namelist()))
        content = archive.read(name)
    if draw(st.booleans()):
        mutated = draw(mutated_bytes(content))
    else:  # damage the XML text itself: cut it, or splice in markup
        cut = draw(st.integers(0, len(content)))
        mutated = content[:cut] + draw(st.sampled_from(
            [b"", b"<", b"</row>", b"<c r=\"ZZZ99999999\"><v>1</v></c>", b"<row r=\"1048577\"/>",
             b"<c t=\"s\"><v>99999</v></c>", b"<c t=\"n\"><v>1e999</v></c>", b"<c><v>" + b"9" * 5000 + b"</v></c>",
             b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"\xff\xfe", b"\x00"])) + content[cut:]
    return wb.replace_member(data, name, lambda _: mutated)


CELL_VALUES = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(-10**15, 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=date(1900, 1, 2), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1000)),
    st.sampled_from(["25KB", " 25kb ", "25 KB", "123", 123, 1234, 2007, 2007.0, "2007.0", "2007 ", "HBO-SPRINT",
                     "hbo sprint", "Hbo_Sprint", "positief", "Twijfelachtig", "NEGATIEF", "=1/0", "=A1",
                     "#N/A", "\u00a0", "x" * 5000]),
)

HEADER_NAMES = ["Instellingscode", "Instellingsnaam", "Programma", "Auditjaar", "Oordeel", "Voorzitter", "Toelichting"]


def _put(ws, row: int, column: int, value) -> None:
    try:
        ws.cell(row=row, column=column, value=value)
    except Exception:  # noqa: BLE001 - openpyxl refuses some values (control characters, odd types)
        ws.cell(row=row, column=column, value=repr(value).encode("ascii", "replace").decode())


@st.composite
def random_workbook(draw) -> bytes:
    """An openpyxl workbook: the header in random order and spelling, rows of random cell values."""
    header = list(draw(st.permutations(HEADER_NAMES)))
    header = header[:draw(st.sampled_from([7, 7, 7, 6, 5, 4, 3]))]  # mostly every column
    header = [_respell(draw, h) if draw(st.integers(0, 5)) == 0 else h for h in header]
    if draw(st.booleans()):
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from(["", "Opmerking", None, 7])))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.booleans()):
            base = wb.row(code=draw(st.sampled_from(["25KB", "21PM", "00IC"])))
            rows.append([v if draw(st.integers(0, 3)) else draw(CELL_VALUES) for v in base][:len(header)])
        else:
            rows.append([draw(CELL_VALUES) for _ in header])
    sheet = draw(st.sampled_from(["Oordelen", "oordelen ", "Blad1", "Oordelen", "Oordelen", "OORDELEN"]))
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    start = draw(st.integers(1, 12))
    for col, name in enumerate(header, start=1):
        _put(ws, start, col, name)
    for r, values in enumerate(rows, start=start + 1):
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    if draw(st.booleans()):
        _put(ws, draw(st.integers(start + 1, start + 200)), draw(st.integers(1, 30)), draw(CELL_VALUES) or "note")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

