"""Audit committee workbooks (`audits/*.xlsx`, raw-data contract sections 8 and 9): current state.

Every program's audit committee sends one workbook per round with a sheet `Oordelen`:
`Instellingscode | Instellingsnaam | Programma | Auditjaar | Oordeel | Voorzitter | Toelichting`.
Like the reference files these are *current state*, not vintages: the folder as it is now is the
truth. Per file:

- **Rejected whole** (recorded in `landing.rejections`; the rows loaded earlier from that same file
  are kept): not a zip/xlsx at all, a password-protected/encrypted workbook (an OLE compound file),
  no `Oordelen` sheet, a required column missing, no judgement rows, and hostile files. The zip is
  inspected *before* openpyxl sees it (file size, number of members, declared uncompressed size,
  compression ratio). Python's `zipfile` never inflates a member beyond its declared size (it
  stops and fails the CRC), so checking the declared sizes bounds what openpyxl can decompress.
  The number of sheet rows read is capped as well (a `<row r="1048576">` would otherwise make the
  read-only reader yield a million empty rows). openpyxl parses with the standard library's expat
  (no lxml/defusedxml here); expat >= 2.4 refuses entity-expansion bombs, and any XML that cannot
  be parsed rejects the file.
- **Accepted**: every judgement row that passes the pandera schema replaces the file's previous
  rows in `landing.audit_judgements`; rows that do not pass go to `landing.audit_quarantine`
  with row number, column, value as written and reason, so the quality gate can decide.

Reading is lenient where the contract says so: the header row is found by name in the first rows
(merged title cells above it are fine; column order is free; names compare trimmed and
case-insensitively), fully empty rows are skipped (cells outside the recognised columns, such as
a note in column J, do not count), numbers stored as text and text stored as numbers are both
read, stray spaces are removed, `Hbo-sprint` / `HBO SPRINT` = `HBO-SPRINT`, `twijfelachtig` =
`twijfel`.

Decisions (see the module constants for the limits):
- An institution code must be 4 characters `[0-9A-Z]` after removing white space and
  upper-casing; leading zeros are kept as written. A code stored as a number (`1234`) becomes
  text; a number that lost its leading zeros (`123`) is quarantined, never padded by guessing.
- Institutions are checked against `landing.institutions`. When that table has not been loaded
  the known set is empty and *every* row is quarantined (reason says why): an audit judgement of
  an institution the monitor cannot identify must not reach a mart silently.
- The same institution, programma and auditjaar twice in one workbook: a repeat with the same
  judgement is quarantined ("repeats row N", the first stays); conflicting judgements are all
  quarantined. Duplicates *across* workbooks are left to the models.
- An auditjaar after the run's as-of date (today when the run has none) is quarantined: a round
  dated 2099 cannot have been judged yet.
- A workbook whose header is fine but has no judgement rows is rejected, so an accidentally
  emptied file does not wipe the earlier judgements.
- Lock files of an open workbook (`~$*.xlsx`) and hidden files are ignored and reported.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from pipelines.dbt_settings import programs
from pipelines.ingest.deliveries import ensure_landing, record_rejection, sha256_of
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.guards import check_regular_file
from pipelines.ingest.reference import known_institutions

DATASET = "audits"
FOLDER = "audits"
SHEET = "Oordelen"

# Contract header -> frame column. The first five are required.
COLUMNS: dict[str, str] = {
    "Instellingscode": "instellingscode",
    "Instellingsnaam": "instellingsnaam",
    "Programma": "programma",
    "Auditjaar": "auditjaar",
    "Oordeel": "oordeel",
    "Voorzitter": "voorzitter",
    "Toelichting": "toelichting",
}
REQUIRED = ("Instellingscode", "Instellingsnaam", "Programma", "Auditjaar", "Oordeel")
OORDELEN = {"positief": "positief", "twijfel": "twijfel", "twijfelachtig": "twijfel", "negatief": "negatief"}
CODE_PATTERN = r"^[0-9A-Z]{4}$"
YEAR_PATTERN = r"^(19|20)\d\d$"

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # CFB container: encrypted OOXML, or a legacy .xls
MB = 1024 * 1024

ACCEPTED_COLUMNS = ["audit_file", "sheet", "row_number", "instellingscode", "instellingsnaam", "programma",
                    "auditjaar", "oordeel", "oordeel_raw", "voorzitter", "toelichting"]
QUARANTINE_COLUMNS = ["audit_file", "sheet", "row_number", "column", "value", "reason"]

AUDIT_DDL = """
create table if not exists landing.audit_judgements (
    audit_file varchar, sheet varchar, row_number integer, instellingscode varchar, instellingsnaam varchar,
    programma varchar, auditjaar integer, oordeel varchar, oordeel_raw varchar, voorzitter varchar,
    toelichting varchar, sha256 varchar
);
create table if not exists landing.audit_quarantine (
    audit_file varchar, sheet varchar, row_number integer, column_header varchar, value varchar,
    reason varchar, sha256 varchar
);
"""
# `column` is a reserved word in DuckDB: the landing table calls it `column_header`, like
# `landing.rejections` and the delivery quarantine reports.
JUDGEMENT_TABLE_COLUMNS = [*ACCEPTED_COLUMNS, "sha256"]
QUARANTINE_TABLE_COLUMNS = ["audit_file", "sheet", "row_number", "column_header", "value", "reason", "sha256"]


@dataclass(frozen=True)
class AuditLimits:
    """Limits for hostile or absurd workbooks. A committee workbook is a few dozen rows, a few kB."""

    max_file_bytes: int = 20 * MB
    max_members: int = 1000
    max_uncompressed_bytes: int = 200 * MB
    max_ratio: float = 200.0            # uncompressed : compressed, checked for members over ...
    ratio_member_bytes: int = 1 * MB    # ... this uncompressed size (small XML parts compress well)
    max_rows: int = 100_000             # Excel rows read from the sheet, empty ones included
    max_columns: int = 100              # the header must lie within the first 100 columns
    header_scan_rows: int = 10


DEFAULT_LIMITS = AuditLimits()


@dataclass
class AuditRead:
    accepted: pd.DataFrame     # ACCEPTED_COLUMNS
    quarantined: pd.DataFrame  # QUARANTINE_COLUMNS
    sheet: str
    header_row: int


# --- cell values ---------------------------------------------------------------------------------

_WS = re.compile(r"\s+")


def _as_text(value) -> str | None:
    """A cell value as text, as Excel would show it: `2007.0` -> `2007`; None/blank -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "WAAR" if value else "ONWAAR"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, (datetime, date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    return text if text.strip() else None


def _as_written(value) -> str | None:
    """Text exactly as typed (stray spaces kept); a number as Excel shows it."""
    return value if isinstance(value, str) else _as_text(value)


def _clean(value) -> str | None:
    """Trimmed text with runs of white space (incl. non-breaking) collapsed to one space."""
    text = _as_text(value)
    return None if text is None else _WS.sub(" ", text).strip()


def _code(value) -> str | None:
    text = _as_text(value)
    return None if text is None else _WS.sub("", text).upper()


def _programma(value) -> str | None:
    text = _clean(value)
    return None if text is None else re.sub(r"[\s_-]+", "-", text.upper())


def _year(value) -> str | None:
    text = _clean(value)
    if text is None:
        return None
    match = re.fullmatch(r"(\d{4})\.0*", text)  # `2007.0` typed as text
    return match.group(1) if match else text


def _oordeel(value) -> str | None:
    text = _clean(value)
    return None if text is None else OORDELEN.get(text.casefold(), text)


def _header_key(value) -> str:
    text = _clean(value)
    return "" if text is None else text.casefold()


# --- the container -------------------------------------------------------------------------------

def _looks_like_text(data: bytes) -> bool:
    sample = data[:4096]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return all(b >= 0x20 or b in b"\t\r\n" for b in sample)


def check_container(data: bytes, display: str, limits: AuditLimits = DEFAULT_LIMITS) -> None:
    """Refuse what is not a plain, sane .xlsx zip package before any XML is parsed."""
    if not data:
        raise RejectedFile(display, "empty file, not an Excel workbook")
    if len(data) > limits.max_file_bytes:
        raise RejectedFile(display, f"file is {len(data) / MB:.1f} MB, larger than the "
                                    f"{limits.max_file_bytes / MB:.0f} MB limit for an audit workbook")
    if data.startswith(OLE_MAGIC):
        raise RejectedFile(display, "password-protected or encrypted workbook (an OLE compound file, not a plain "
                                    ".xlsx; a legacy .xls looks the same): ask for an unprotected .xlsx")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except Exception:  # noqa: BLE001 - anything that is not a readable zip
        kind = "a text file (a CSV renamed to .xlsx?)" if _looks_like_text(data) else "not a zip package"
        raise RejectedFile(display, f"not an Excel workbook (.xlsx): the file is {kind}") from None
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_members:
            raise RejectedFile(display, f"zip package has {len(members)} members, more than the limit of "
                                        f"{limits.max_members}; refused as a hostile file")
        total = 0
        for info in members:
            if info.flag_bits & 0x1:
                raise RejectedFile(display, f"zip member {info.filename!r} is encrypted")
            total += info.file_size
            if info.file_size > limits.ratio_member_bytes:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise RejectedFile(display, (
                        f"zip member {info.filename!r} expands {ratio:,.0f}:1 ({info.compress_size:,} -> "
                        f"{info.file_size:,} bytes), more than {limits.max_ratio:.0f}:1; refused as a zip bomb"))
        if total > limits.max_uncompressed_bytes:
            raise RejectedFile(display, f"zip members expand to {total / MB:,.0f} MB in total, more than the "
                                        f"{limits.max_uncompressed_bytes / MB:.0f} MB limit; refused as a zip bomb")
        if "[Content_Types].xml" not in archive.namelist():
            raise RejectedFile(display, "not an Excel workbook (.xlsx): a zip package without [Content_Types].xml")


# --- the sheet -----------------------------------------------------------------------------------

def _find_sheet(workbook, display: str) -> str:
    names = list(workbook.sheetnames)
    if SHEET in names:
        return SHEET
    close = [n for n in names if n.strip().casefold() == SHEET.casefold()]
    if len(close) == 1:
        return close[0]
    found = ", ".join(repr(n) for n in names) or "none"
    raise RejectedFile(display, f"no sheet {SHEET!r} (sheets found: {found})")


def _find_header(rows, display: str, sheet: str, limits: AuditLimits) -> tuple[int, dict[str, int]]:
    """Consume rows up to the header; return its row number and contract header -> cell index."""
    wanted = {name.casefold(): name for name in COLUMNS}
    best: tuple[int, int, list[str]] | None = None  # (matches, row, keys)
    for row_number, values in rows:
        keys = [_header_key(v) for v in values]
        positions: dict[str, list[int]] = {}
        for idx, key in enumerate(keys):
            if key in wanted:
                positions.setdefault(wanted[key], []).append(idx)
        matches = sum(1 for name in REQUIRED if name in positions)
        if matches == len(REQUIRED):
            for name, idxs in positions.items():
                if len(idxs) > 1:
                    letters = " and ".join(openpyxl.utils.get_column_letter(i + 1) for i in idxs)
                    raise RejectedFile(display, f"column {name!r} appears more than once in the header "
                                                f"(columns {letters})", line=row_number, column=name)
            return row_number, {name: idxs[0] for name, idxs in positions.items()}
        if matches >= 2 and (best is None or matches > best[0]):
            best = (matches, row_number, [name for name in REQUIRED if name not in positions])
        if row_number >= limits.header_scan_rows:
            break
    if best is not None:
        _, row_number, missing = best
        names = ", ".join(repr(m) for m in missing)
        raise RejectedFile(display, f"required column{'s' if len(missing) > 1 else ''} {names} missing from the "
                                    f"header in row {row_number} of sheet {sheet!r}",
                           line=row_number, column=", ".join(missing))
    raise RejectedFile(display, f"no header row with {' | '.join(REQUIRED)} in the first "
                                f"{limits.header_scan_rows} rows of sheet {sheet!r}")


def _schema(known_institutions: set[str]) -> pa.DataFrameSchema:
    known = sorted(known_institutions)
    unknown_reason = ("unknown institution code (not in reference/institutions.csv)" if known else
                      "unknown institution code (no institutions reference loaded; every code is unknown)")
    return pa.DataFrameSchema({
        "instellingscode": pa.Column("string", nullable=False, checks=[
            pa.Check.str_matches(CODE_PATTERN, error="institution code is not 4 characters [0-9A-Z]"),
            # Only judged for well-formed codes, so a malformed code gets one reason, not two.
            pa.Check(lambda s: ~s.str.fullmatch(CODE_PATTERN).fillna(False).astype(bool) | s.isin(known),
                     error=unknown_reason),
        ]),
        "programma": pa.Column("string", nullable=False, checks=pa.Check.isin(
            programs(), error=f"unknown programma (expected one of {', '.join(programs())})")),
        "auditjaar": pa.Column("string", nullable=False, checks=pa.Check.str_matches(
            YEAR_PATTERN, error="auditjaar is not a year")),
        "oordeel": pa.Column("string", nullable=False, checks=pa.Check.isin(
            ["positief", "twijfel", "negatief"], error="unknown oordeel (expected positief, twijfel or negatief)")),
    }, strict=False)


_MISSING = {"Instellingscode": "missing institution code", "Programma": "missing programma",
            "Auditjaar": "missing auditjaar", "Oordeel": "missing oordeel"}


def read_audit_workbook(data: bytes, display: str, known_institutions: set[str], *,
                        limits: AuditLimits = DEFAULT_LIMITS, as_of: date | None = None) -> AuditRead:
    """Read one committee workbook into accepted judgement rows and quarantined rows. `as_of`: the
    run's as-of date (default today); a later auditjaar is quarantined.

    Raises `RejectedFile` when the file as a whole cannot be used (see the module docstring).
    """
    check_container(data, display, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "Workbook contains no default style"
            workbook = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for broken packages
        raise RejectedFile(display, f"cannot be opened as an Excel workbook ({type(exc).__name__}: {exc})") from None
    try:
        sheet = _find_sheet(workbook, display)
        try:
            worksheet = workbook[sheet]
            if not hasattr(worksheet, "reset_dimensions"):
                raise RejectedFile(display, f"sheet {sheet!r} is a chart sheet, not a worksheet")
            raw_rows = _read_rows(worksheet, display, sheet, limits)
        except RejectedFile:
            raise
        except Exception as exc:  # noqa: BLE001 - broken or hostile sheet XML (entity bombs included)
            raise RejectedFile(display, f"sheet {sheet!r} cannot be read ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()
    header_row, records = raw_rows
    return _judge(records, display, sheet, header_row, known_institutions, as_of or date.today())


def _read_rows(worksheet, display: str, sheet: str, limits: AuditLimits):
    # The <dimension> element is advisory and often wrong in files written by other tools; trusting
    # it would silently truncate the sheet. Read what is there, up to the row cap.
    worksheet.reset_dimensions()
    source = worksheet.iter_rows(min_row=1, max_col=limits.max_columns, values_only=True)

    def numbered():
        for row_number, values in enumerate(source, start=1):
            if row_number > limits.max_rows:
                raise RejectedFile(display, f"sheet {sheet!r} has more than {limits.max_rows:,} rows; "
                                            "refused (an audit workbook has one row per institution)",
                                   line=row_number)
            yield row_number, values

    rows = numbered()
    header_row, positions = _find_header(rows, display, sheet, limits)
    records = []
    for row_number, values in rows:
        cells = {name: (values[idx] if idx < len(values) else None) for name, idx in positions.items()}
        if all(_as_text(v) is None for v in cells.values()):
            continue  # fully empty (or blank-but-formatted) row
        records.append((row_number, cells))
    if not records:
        raise RejectedFile(display, f"sheet {sheet!r} has a header (row {header_row}) but no judgement rows",
                           line=header_row)
    return header_row, records


def _judge(records, display, sheet, header_row, known_institutions, as_of: date) -> AuditRead:
    def column(name, convert):
        return [convert(values.get(name)) for _, values in records]

    frame = pd.DataFrame({
        "row_number": [row_number for row_number, _ in records],
        "instellingscode": column("Instellingscode", _code),
        "instellingsnaam": column("Instellingsnaam", _clean),
        "programma": column("Programma", _programma),
        "auditjaar": column("Auditjaar", _year),
        "oordeel": column("Oordeel", _oordeel),
        "oordeel_raw": column("Oordeel", _as_written),
        "voorzitter": column("Voorzitter", _clean),
        "toelichting": column("Toelichting", _clean),
    })
    for text_column in frame.columns.drop("row_number"):
        frame[text_column] = frame[text_column].astype("string")

    header_of = {col: name for name, col in COLUMNS.items()}
    problems: list[dict] = []

    def quarantine(idx: int, name: str, reason: str) -> None:
        problems.append({"idx": idx, "column": name, "value": _as_written(records[idx][1].get(name)),
                         "reason": reason})

    try:
        _schema(known_institutions).validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        for case in err.failure_cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                raise RejectedFile(display, f"schema error in column {case.column}: {case.check}") from None
            name = header_of[case.column]
            reason = _MISSING[name] if case.check == "not_nullable" else str(case.check)
            quarantine(int(case.index), name, reason)

    bad = {p["idx"] for p in problems}
    for idx, year in frame["auditjaar"].items():
        if idx not in bad and pd.notna(year) and re.fullmatch(YEAR_PATTERN, year) and int(year) > as_of.year:
            quarantine(idx, "Auditjaar", f"auditjaar {year} is after the run's as-of date {as_of.isoformat()} "
                                         "(a round that cannot have been judged yet)")
    bad = {p["idx"] for p in problems}
    good = frame.drop(index=sorted(bad))
    keys = ["instellingscode", "programma", "auditjaar"]
    for _, group in good[good.duplicated(keys, keep=False)].groupby(keys, sort=False):
        rows = group["row_number"].tolist()
        if group["oordeel"].nunique() > 1:
            listed = ", ".join(str(r) for r in rows)
            for idx in group.index:
                quarantine(idx, "Oordeel", f"conflicting judgements for the same institution, programma and "
                                           f"auditjaar (rows {listed})")
        else:
            for idx in group.index[1:]:
                quarantine(idx, "Instellingscode", f"repeats row {rows[0]} (same institution, programma, "
                                                   "auditjaar and oordeel)")
    bad = {p["idx"] for p in problems}

    accepted = frame.drop(index=sorted(bad)).reset_index(drop=True)
    accepted["auditjaar"] = accepted["auditjaar"].astype(int)
    accepted["row_number"] = accepted["row_number"].astype(int)
    accepted.insert(0, "audit_file", display)
    accepted.insert(1, "sheet", sheet)
    accepted = accepted[ACCEPTED_COLUMNS]

    order = list(COLUMNS)
    problems.sort(key=lambda p: (p["idx"], order.index(p["column"])))
    quarantined = pd.DataFrame(
        [{"audit_file": display, "sheet": sheet, "row_number": records[p["idx"]][0], "column": p["column"],
          "value": p["value"], "reason": p["reason"]} for p in problems],
        columns=QUARANTINE_COLUMNS)
    quarantined["row_number"] = quarantined["row_number"].astype(int)
    return AuditRead(accepted=accepted, quarantined=quarantined, sheet=sheet, header_row=header_row)


# --- landing -------------------------------------------------------------------------------------

@dataclass
class AuditIngest:
    files_read: list[str] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_previous: dict[str, int] = field(default_factory=dict)
    quarantined: list[dict] = field(default_factory=list)
    rows_loaded: int = 0
    folder_missing: bool = False


def ensure_audit_tables(con: duckdb.DuckDBPyConnection) -> None:
    ensure_landing(con)
    con.execute(AUDIT_DDL)


def ingest_audits(con: duckdb.DuckDBPyConnection, raw_dir: Path, run_id: str, as_of: date | None = None) -> dict:
    """Make the audit landing tables reflect `raw_dir/audits/` as it is now (`as_of`: the run's
    as-of date, default today: a later auditjaar is quarantined).

    Each `*.xlsx` is read again on every run (the known institutions may have changed). An accepted
    workbook replaces its rows; a rejected one is recorded in `landing.rejections` and its earlier
    rows stay; rows of a workbook that is no longer in the folder are removed.
    """
    ensure_audit_tables(con)
    report = AuditIngest()
    folder = raw_dir / FOLDER
    known = known_institutions(con)
    present: set[str] = set()
    if not folder.is_dir():
        report.folder_missing = True
    else:
        for path in sorted(folder.iterdir()):
            display = path.relative_to(raw_dir).as_posix()
            if path.name.startswith((".", "~$")):
                report.ignored.append(f"{display}: hidden file or Excel lock file, ignored")
                continue
            if (path.is_dir() and not path.is_symlink()) or path.suffix.lower() != ".xlsx":
                report.ignored.append(f"{display}: not an .xlsx workbook, ignored")
                continue
            present.add(display)
            try:
                check_regular_file(path, raw_dir, display)
            except RejectedFile as rejected:
                report.rejected.append(rejected)
                record_rejection(con, run_id, DATASET, display, "", rejected)
                continue
            data = path.read_bytes()
            digest = sha256_of(data)
            try:
                read = read_audit_workbook(data, display, known, as_of=as_of)
            except RejectedFile as rejected:
                report.rejected.append(rejected)
                record_rejection(con, run_id, DATASET, display, digest, rejected)
                kept = con.execute("select count(*) from landing.audit_judgements where audit_file = ?",
                                   [display]).fetchall()[0][0]
                if kept:
                    report.kept_previous[display] = kept
                continue
            _replace_file(con, display, digest, read)
            report.files_read.append(display)
            report.rows_loaded += len(read.accepted)
            report.quarantined.extend(_quarantine_records(read.quarantined))

    loaded = {f for (f,) in con.execute("select audit_file from landing.audit_judgements union "
                                        "select audit_file from landing.audit_quarantine").fetchall()}
    for gone in sorted(loaded - present):
        con.execute("delete from landing.audit_judgements where audit_file = ?", [gone])
        con.execute("delete from landing.audit_quarantine where audit_file = ?", [gone])
        report.removed.append(gone)

    return {
        "folder": FOLDER,
        "folder_missing": report.folder_missing,
        "files_read": report.files_read,
        "rejected": [str(r) for r in report.rejected],
        "ignored": report.ignored,
        "removed": report.removed,
        "kept_previous": report.kept_previous,
        "quarantined": report.quarantined,
        "rows_loaded": report.rows_loaded,
    }


def _quarantine_records(quarantined: pd.DataFrame) -> list[dict]:
    frame = quarantined.rename(columns={"column": "column_header"}).astype(object)
    return frame.where(frame.notna(), None).to_dict("records")


def _replace_file(con, display: str, digest: str, read: AuditRead) -> None:
    judgements = read.accepted.assign(sha256=digest)[JUDGEMENT_TABLE_COLUMNS]  # noqa: F841 - scanned by DuckDB
    quarantine = (read.quarantined.rename(columns={"column": "column_header"})  # noqa: F841
                  .assign(sha256=digest)[QUARANTINE_TABLE_COLUMNS])
    con.execute("begin transaction")
    try:
        con.execute("delete from landing.audit_judgements where audit_file = ?", [display])
        con.execute("delete from landing.audit_quarantine where audit_file = ?", [display])
        cols = ", ".join(JUDGEMENT_TABLE_COLUMNS)
        con.execute(f"insert into landing.audit_judgements ({cols}) select {cols} from judgements")
        cols = ", ".join(QUARANTINE_TABLE_COLUMNS)
        con.execute(f"insert into landing.audit_quarantine ({cols}) select {cols} from quarantine")
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
