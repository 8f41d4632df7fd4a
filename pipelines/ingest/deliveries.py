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
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.ingest import cells, guards, records
from pipelines.ingest.datasets import DATASETS, cell_schema
from pipelines.ingest.decisions import ensure_table as ensure_decisions
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.layouts import DatasetSpec, LongLayout, WideLayout, melt_plan
from pipelines.runs.pause import pause_point
from pipelines.warehouse import sql_literal

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


def _digest_if_bounded(path: Path, limit: int) -> str:
    """The sha256 of a rejected delivery, for the rejection record; empty for one past the size limit."""
    try:
        return sha256_of_file(path) if path.stat().st_size <= limit else ""
    except OSError:
        return ""


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
    """One delivery read into DuckDB: the temp view `cells.CELLS_TABLE` (typed cells, quarantined ones
    included; computed when it is read) and the temp table `cells.PROBLEMS_TABLE` (whole-row problems)."""

    layout: str
    n_records: int
    sha256: str
    size_bytes: int
    header: list[str]
    # line_number, column_header, raw_value, reason: the bad cells (in file order), then whole-row problems
    quarantined: pd.DataFrame | None = None
    cells: pd.DataFrame | None = None  # the landed rows, only from `read_delivery` (small files: tests, tools)

    def set_quarantined(self, con: duckdb.DuckDBPyConnection, bad_cells_sql: str) -> None:
        """The quarantined cells (few: fetched, then put in file order by line and column) and problems."""
        position = {h.strip().lstrip("\ufeff"): i for i, h in enumerate(self.header)}
        bad = con.execute(bad_cells_sql).df()
        bad = bad.assign(_pos=bad["column_header"].map(position)).sort_values(
            ["line_number", "_pos"], kind="stable").drop(columns="_pos")
        problems = con.execute(f"select line_number, column_header, raw_value, reason from {cells.PROBLEMS_TABLE} "
                               "order by line_number").df()
        self.quarantined = pd.concat([bad, problems], ignore_index=True) if len(problems) else bad.reset_index(drop=True)


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


def land_cells(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, source: Path, display: str,
               limit: int) -> DeliveryRead:
    """Read one delivery into DuckDB: decode (Python, streamed), number and split the records, detect the
    layout from the header (Python), melt to cells, check and type them (DuckDB)."""
    with tempfile.TemporaryDirectory(prefix="betamonitor-ingest-") as work:
        staged = records.stage(source, display, limit, Path(work))
        n_records = records.load_records(con, staged, display, Path(work))
    header = records.header_fields(con)
    if not header or not any(h.strip() for h in header):
        raise RejectedFile(display, "no header row", line=1)
    plan = melt_plan(spec, header, display)
    layout = plan.layout
    if isinstance(layout, WideLayout):
        guards.check_wide_header(header, layout, {*spec.dimensions, *spec.optional_dimensions}, display)
    cells.melt(con, plan)
    guards.check_has_data(*cells.count_raw_cells(con), display)
    gender_optional = isinstance(layout, LongLayout) and plan.gender_pos is None
    schema = cell_schema(spec, layout.count_pattern, gender_optional=gender_optional)
    cells.check_and_type(con, spec, plan, schema, display)
    return DeliveryRead(layout=layout.name, n_records=n_records, sha256=staged.sha256, size_bytes=staged.size,
                        header=header)


def read_delivery(spec: DatasetSpec, data: bytes, display: str) -> DeliveryRead:
    """A delivery given as bytes, read in a throw-away DuckDB (tests and tools): the read and its cells as
    they would land (whole-row problems last, as landed rows with only their line and reason)."""
    with tempfile.TemporaryDirectory(prefix="betamonitor-read-") as work:
        source = Path(work) / Path(display).name
        source.write_bytes(data)
        with duckdb.connect() as con:
            try:
                read = land_cells(con, spec, source, display, max(len(data), 1))
            finally:
                records.drop_records(con)
            con.execute(f"create temp table _read_cells as select * exclude (check_reason) from {cells.CELLS_TABLE} "
                        "order by line_number, ordinal")
            read.set_quarantined(con, "select line_number, column_header, raw_value, quarantine_reason as reason "
                                      "from _read_cells where quarantine_reason is not null")
            read.cells = con.execute(f"""
                select * exclude (ordinal) from _read_cells
                union all by name
                select line_number, reason as quarantine_reason, {sql_literal(read.layout)} as layout
                from {cells.PROBLEMS_TABLE}""").df()
    return read


def reread_into(con: duckdb.DuckDBPyConnection, spec: DatasetSpec, source: Path, display: str, table: str) -> None:
    """Read a delivery file again with the pipeline's reader and keep its cells in `table` of `con`
    (line_number, column_header, raw_value, count_value, is_masked): what the trace checks a figure's
    member cells against. Nothing of the file reaches Python."""
    try:
        land_cells(con, spec, source, display, source.stat().st_size)
        con.execute(f"""create or replace table {table} as
            select line_number, column_header, raw_value, count_value, is_masked from {cells.CELLS_TABLE}""")
    finally:
        records.drop_records(con)
        cells.drop_all(con)


def cells_at(con: duckdb.DuckDBPyConnection, table: str, wanted: list[tuple[int, str]]) -> dict[tuple[int, str], dict]:
    """(line, column header) -> raw_value, count_value, is_masked of the wanted cells of a re-read file."""
    wanted_frame = pd.DataFrame(wanted, columns=["line_number", "column_header"])  # noqa: F841 - read by SQL
    rows = con.execute(f"""
        select c.line_number, c.column_header, c.raw_value, c.count_value, c.is_masked
        from {table} c join wanted_frame w
          on c.line_number = w.line_number and c.column_header = w.column_header""").fetchall()
    return {(line, column): {"raw_value": raw, "count_value": count, "is_masked": bool(masked)}
            for line, column, raw, count, masked in rows}


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
            try:
                read = land_cells(con, spec, path, display, limits.max_bytes)
                _store_delivery(con, spec, display, delivery_date, read, run_id)
            except RejectedFile:
                digest = _digest_if_bounded(path, limits.max_bytes)
                raise
            except Exception as exc:  # nothing a file contains may crash the ingest
                digest = _digest_if_bounded(path, limits.max_bytes)
                raise RejectedFile(display, f"could not be read ({type(exc).__name__}: {str(exc)[:200]})") from None
        except RejectedFile as rejected:
            report.rejected.append(rejected)
            record_rejection(con, run_id, dataset, display, digest, rejected)
            cells.drop_all(con)
            records.drop_records(con)
            continue
        cells.drop_all(con)
        records.drop_records(con)
        report.new_deliveries.append(display)
        report.quarantined.extend({"delivery_file": display, **row}
                                  for row in read.quarantined.astype(object).where(read.quarantined.notna(), None)
                                  .to_dict("records"))
    return report


def _store_delivery(con, spec: DatasetSpec, display: str, delivery_date: date, read: DeliveryRead,
                    run_id: str) -> None:
    """The delivery's cells (and its whole-row problems, so an auditor sees the line and the gate counts
    it) into landing, and the delivery into the registry, in one transaction. The cells are computed
    here, in one pass from the records into landing."""
    provenance = (f"{sql_literal(display)} as delivery_file, {sql_literal(delivery_date.isoformat())}::date "
                  f"as delivery_date, {sql_literal(read.sha256)} as sha256, {sql_literal(read.layout)} as layout")
    con.execute("begin transaction")
    try:
        con.execute(f"insert into landing.{spec.name} by name "
                    f"select * exclude (check_reason, ordinal), {provenance} from {cells.CELLS_TABLE}")
        this_delivery = f"from landing.{spec.name} where delivery_file = {sql_literal(display)}"
        # landed cells always have a column header; whole-row problems (below) have none
        read.set_quarantined(con, f"select line_number, column_header, raw_value, quarantine_reason as reason "
                                  f"{this_delivery} and quarantine_reason is not null and column_header is not null")
        con.execute(f"insert into landing.{spec.name} by name "
                    f"select line_number, reason as quarantine_reason, {provenance} from {cells.PROBLEMS_TABLE}")
        n_cells = con.execute(f"select count(year) {this_delivery}").fetchone()[0]
        con.execute("insert into landing.deliveries (dataset, delivery_file, delivery_date, sha256, layout, "
                    "n_records, n_cells, n_quarantined, ingested_by_run, size_bytes) "
                    "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [spec.name, display, delivery_date, read.sha256, read.layout, read.n_records,
                     n_cells, len(read.quarantined), run_id, read.size_bytes])
        pause_point("ingest")  # test hook (pipelines/runs/pause.py); a no-op unless a test sets it
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise
