"""Ingest `duo/<dataset>/` deliveries into the DuckDB landing schema.

A delivery is immutable: the registry (`landing.deliveries`) remembers the sha256 of every
accepted file, a known file is not read again, and a file whose bytes changed under the same name
is refused (the originally delivered rows stay). A file that cannot be read as its dataset is
rejected whole (`landing.rejections`); a readable file with some bad cells lands with those cells
quarantined (`quarantine_reason` set), so the quality gate can decide whether a mart may publish.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors

from pipelines.ingest import guards
from pipelines.ingest.datasets import DATASETS, VALUE_NORMALISERS, cell_schema
from pipelines.ingest.decisions import ensure_table as ensure_decisions
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.layouts import DatasetSpec, LongLayout, WideLayout, parse_counts, to_cells
from pipelines.ingest.normalise import canonical_header
from pipelines.ingest.reader import read_delimited
from pipelines.runs.pause import pause_point

DELIVERY_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})_.+\.csv$", re.IGNORECASE)

LANDING_DDL = """
create schema if not exists landing;
create table if not exists landing.deliveries (
    dataset varchar, delivery_file varchar primary key, delivery_date date, sha256 varchar,
    layout varchar, n_records integer, n_cells integer, n_quarantined integer, ingested_by_run varchar,
    size_bytes bigint
);
create table if not exists landing.rejections (
    run_id varchar, dataset varchar, delivery_file varchar, sha256 varchar,
    line integer, column_header varchar, reason varchar
);
"""

# Typed landing columns per family, in table order. Provenance first, then the cell, then dims.
PROVENANCE_COLUMNS = {
    "delivery_file": "varchar", "delivery_date": "date", "sha256": "varchar", "layout": "varchar",
    "line_number": "integer", "column_header": "varchar", "raw_value": "varchar",
}
# in_total: the cell counts in totals (sector, institution and program figures). Every cell does,
# except MAN / VROUW / ONBEKEND cells of a file with TOTAAL columns: there TOTAAL is the count
# (contract 11.3) and the gender cells count in gender figures only.
CELL_COLUMNS = {"year": "integer", "gender": "varchar", "count_value": "bigint", "is_masked": "boolean",
                "in_total": "boolean", "quarantine_reason": "varchar"}


def record_rejection(con: duckdb.DuckDBPyConnection, run_id: str, dataset: str, file: str, digest: str,
                     rejected: RejectedFile) -> None:
    """Every rejected file (any kind of input) goes to `landing.rejections` with line, column and reason."""
    con.execute("insert into landing.rejections values (?, ?, ?, ?, ?, ?, ?)",
                [run_id, dataset, file, digest, rejected.line, rejected.column, rejected.reason])


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_of_file(path: Path, chunk: int = 1 << 20) -> str:
    """The file's sha256, read in chunks: memory stays bounded whatever its size."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_bounded(path: Path, display: str, limit: int) -> bytes:
    """The file's bytes, never more than `limit` + 1 of them: a file that grew past the declared maximum
    after its size was checked is rejected, not read whole."""
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise RejectedFile(display, f"grew past the declared maximum of {limit:,} bytes per delivery while it was "
                                    "being read (dbt var max_delivery_bytes): rejected")
    return data


def delivery_date_of(path: Path, display: str) -> date:
    match = DELIVERY_NAME.match(path.name)
    if not match:
        raise RejectedFile(display, "a duo/ delivery must be named YYYY-MM-DD_<name>.csv (its publication date)")
    try:
        return date.fromisoformat(match.group("date"))
    except ValueError:
        raise RejectedFile(display, f"{match.group('date')!r} in the file name is not a valid date") from None


@dataclass
class DeliveryRead:
    cells: pd.DataFrame  # typed cells incl. quarantined ones
    layout: str
    n_records: int
    quarantined: pd.DataFrame  # line_number, column_header, raw_value, reason


@dataclass
class IngestReport:
    dataset: str
    new_deliveries: list[str] = field(default_factory=list)
    known_deliveries: list[str] = field(default_factory=list)
    rejected: list[RejectedFile] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    quarantined: list[dict] = field(default_factory=list)
    folder_missing: bool = False


def _landing_columns(spec: DatasetSpec) -> dict[str, str]:
    dims = {c: "varchar" for c in dict.fromkeys(spec.dimension_columns)}
    return {**PROVENANCE_COLUMNS, **CELL_COLUMNS, **dims}


def ensure_landing(con: duckdb.DuckDBPyConnection, spec: DatasetSpec | None = None) -> None:
    con.execute(LANDING_DDL)
    # A warehouse made by an older release gains the delivery size (empty for its deliveries: the
    # size guard then takes their size from raw/, see guards.largest_delivery).
    con.execute("alter table landing.deliveries add column if not exists size_bytes bigint")
    ensure_decisions(con)  # accept/withdraw decisions, read by the dbt models
    if spec is not None:
        columns = _landing_columns(spec)
        cols = ", ".join(f"{name} {typ}" for name, typ in columns.items())
        con.execute(f"create table if not exists landing.{spec.name} ({cols})")
        # A warehouse made by an older release gains the columns newer layouts land (empty for old rows).
        for name, typ in columns.items():
            con.execute(f"alter table landing.{spec.name} add column if not exists {name} {typ}")


def read_delivery(spec: DatasetSpec, data: bytes, display: str) -> DeliveryRead:
    """Read one delivery: decode, detect layout, melt to cells, validate lazily, type the counts."""
    try:
        parsed = read_delimited(Path(display), data, display)
    except RejectedFile as rejected:
        raise guards.explain_encoding(rejected, data) from None
    cells, layout, problems = to_cells(spec, parsed, display)
    if isinstance(layout, WideLayout):
        guards.check_wide_header(parsed.header, layout, {*spec.dimensions, *spec.optional_dimensions}, display)
    guards.check_has_data(len(cells), len(problems), display)
    cells = VALUE_NORMALISERS[spec.family](cells, display)
    cells["line_number"] = cells["line_number"].astype("Int64")

    reasons = cells["check_reason"].astype("string")
    gender_optional = isinstance(layout, LongLayout) and layout.gender_header not in {
        canonical_header(h) for h in parsed.header}
    try:
        cell_schema(spec, layout.count_pattern, gender_optional=gender_optional).validate(cells, lazy=True)
    except pandera.errors.SchemaErrors as err:
        header_of = {col: header for header, col in {**spec.dimensions, **spec.optional_dimensions}.items()}
        by_cell: dict[int, list[str]] = {}
        for case in err.failure_cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                raise RejectedFile(display, f"schema error in column {case.column}: {case.check}") from None
            where = "" if case.column in ("raw_value", "year", "gender", "check_reason") else f"{header_of.get(case.column, case.column)}: "
            by_cell.setdefault(int(case.index), []).append(f"{where}{case.check} ({case.failure_case!r})")
        # One assignment for all bad cells: a file with many bad cells stays fast.
        earlier = reasons.iloc[list(by_cell)]
        reasons.iloc[list(by_cell)] = ["; ".join(([] if pd.isna(e) else [e]) + texts)
                                       for e, texts in zip(earlier, by_cell.values())]
    # Counts beyond the declared per-cell maximum are quarantined, never typed (nothing can overflow).
    reasons = reasons.fillna(guards.implausible_counts(cells["raw_value"], layout.thousands_separator is not None))
    # Two lines with the same cells (row key + year + gender) are both quarantined, whatever else is wrong.
    duplicates = guards.duplicate_rows(cells, spec.row_key, dict(parsed.records))
    reasons = reasons.mask(duplicates.notna() & reasons.notna(), reasons + "; " + duplicates).fillna(duplicates)

    bad = reasons.notna()
    counts = cells["raw_value"].where(~bad, "")
    cells["count_value"], cells["is_masked"] = parse_counts(counts, layout)
    cells.loc[bad, "count_value"] = pd.NA
    cells.loc[bad, "is_masked"] = False
    cells["year"] = pd.to_numeric(cells["year"].where(~bad | cells["year"].str.fullmatch(r"\d{4}"), None),
                                  errors="coerce").astype("Int64")
    cells["quarantine_reason"] = reasons
    cells["layout"] = layout.name
    total_gender = layout.total_gender if isinstance(layout, WideLayout) else None
    cells["in_total"] = (cells["gender"] == total_gender).fillna(False) if total_gender else True

    quarantined = cells.loc[bad, ["line_number", "column_header", "raw_value", "quarantine_reason"]].rename(
        columns={"quarantine_reason": "reason"})
    if problems:
        rows = pd.DataFrame(problems)
        quarantined = pd.concat([quarantined, rows], ignore_index=True)
        # Whole-row problems also land, so an auditor sees the line and the gate counts it.
        extra = pd.DataFrame({"line_number": rows["line_number"], "quarantine_reason": rows["reason"],
                              "layout": layout.name})
        cells = pd.concat([cells, extra], ignore_index=True)
    return DeliveryRead(cells=cells, layout=layout.name, n_records=len(parsed.records), quarantined=quarantined)


def ingest_dataset(con: duckdb.DuckDBPyConnection, raw_dir: Path, dataset: str, run_id: str) -> IngestReport:
    """Land every new delivery of one dataset; refuse changed ones; reject unreadable ones."""
    spec = DATASETS[dataset]
    ensure_landing(con, spec)
    report = IngestReport(dataset=dataset)
    folder = raw_dir / "duo" / dataset
    if not folder.is_dir():
        report.folder_missing = True
        return report
    known = dict(con.execute(
        "select delivery_file, sha256 from landing.deliveries where dataset = ?", [dataset]).fetchall())
    for path in sorted(folder.iterdir()):
        display = path.relative_to(raw_dir).as_posix()
        if (path.is_dir() and not path.is_symlink()) or path.suffix.lower() != ".csv":
            report.ignored.append(f"{display}: not a .csv delivery, ignored")
            continue
        try:
            guards.check_regular_file(path, raw_dir, display)
        except RejectedFile as rejected:
            report.rejected.append(rejected)
            record_rejection(con, run_id, dataset, display, "", rejected)
            continue
        digest = ""
        try:
            delivery_date = delivery_date_of(path, display)
            guards.check_delivery_date(delivery_date, display)
            if display in known:
                digest = sha256_of_file(path)  # streamed: a known delivery is only compared, never parsed
                if known[display] != digest:
                    raise RejectedFile(display, (
                        f"content changed since it was delivered (sha256 {known[display][:12]}… -> {digest[:12]}…); "
                        "deliveries are immutable, the originally delivered data is kept"))
                report.known_deliveries.append(display)
                continue
            # Bounded input: a new delivery is judged by its size before a byte of it is read.
            limits = guards.delivery_size_limits()
            size = path.stat().st_size
            guards.check_delivery_size(size, display, guards.largest_delivery(con, raw_dir, dataset), limits)
            data = read_bounded(path, display, limits.max_bytes)
            digest = sha256_of(data)
            try:
                read = read_delivery(spec, data, display)
            except RejectedFile:
                raise
            except Exception as exc:  # nothing a file contains may crash the ingest
                raise RejectedFile(display, f"could not be read ({type(exc).__name__}: {str(exc)[:200]})") from None
        except RejectedFile as rejected:
            report.rejected.append(rejected)
            record_rejection(con, run_id, dataset, display, digest, rejected)
            continue
        _store_delivery(con, spec, display, delivery_date, digest, read, run_id, len(data))
        report.new_deliveries.append(display)
        report.quarantined.extend({"delivery_file": display, **row}
                                  for row in read.quarantined.astype(object).where(read.quarantined.notna(), None)
                                  .to_dict("records"))
    return report


def _store_delivery(con, spec: DatasetSpec, display: str, delivery_date: date, digest: str,
                    read: DeliveryRead, run_id: str, size_bytes: int) -> None:
    cells = read.cells.assign(delivery_file=display, delivery_date=delivery_date, sha256=digest)
    columns = list(_landing_columns(spec))
    frame = cells.reindex(columns=columns)  # noqa: F841 - scanned by DuckDB below
    con.execute("begin transaction")
    try:
        con.execute(f"insert into landing.{spec.name} by name select * from frame")
        con.execute("insert into landing.deliveries (dataset, delivery_file, delivery_date, sha256, layout, "
                    "n_records, n_cells, n_quarantined, ingested_by_run, size_bytes) "
                    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [spec.name, display, delivery_date, digest, read.layout, read.n_records,
                     int(cells["year"].notna().sum()), len(read.quarantined), run_id, size_bytes])
        pause_point("ingest")  # test hook (pipelines/runs/pause.py); a no-op unless a test sets it
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
