"""Reference and program files (`reference/*.csv`, `programs/*.csv`): current state, not vintages.

They are small and curated, so they are all-or-nothing: a file with a bad row is rejected whole
and the previously loaded version stays in the landing schema. Each file is also checked as a whole:
`reference/institutions.csv` and `reference/gemeenten.csv` must name, for every merger (opgegaan_in),
a code of the same file, and no chain of mergers may lead back to where it started (a cycle has no
surviving institution or municipality). A province (institutions' optional last column `provincie`,
gemeenten's `provincie`) is written as one of the 12 provinces (geography.canonical_province); a
spelling that matches none rejects the file, naming line and column.

A `programs/*.csv` row naming an institution that `reference/institutions.csv` does not know is
quarantined (`landing.program_quarantine`, with file, line and reason), not loaded: the models block
the figures of that program (participation_counts, program_growth, gender_shares' program groups and
the program's audit rounds) until the file or the reference is corrected. The rest of the file loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa

from pipelines.ingest import guards
from pipelines.dbt_settings import programs
from pipelines.ingest.deliveries import ensure_landing, record_rejection, sha256_of
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.geography import canonical_provinces, official_provinces
from pipelines.ingest.reader import read_delimited

_J_N = pa.Check.isin(["J", "N"], error="must be J or N")
_CODE = pa.Check.str_matches(r"^[0-9A-Z]{4}$", error="institution code is not 4 characters")


@dataclass(frozen=True)
class ReferenceSpec:
    name: str  # landing table
    file: str  # path under the raw dir
    schema: pa.DataFrameSchema
    # A check of the file as a whole (rows with their line_number), raising RejectedFile.
    check: Callable[[pd.DataFrame, str], None] | None = None
    # The schema's last columns a file may leave out (an older file): landed empty.
    optional_columns: tuple[str, ...] = ()
    # Spelling variants -> one spelling, per column, before the schema checks the values.
    normalise: dict[str, Callable[[pd.Series], pd.Series]] | None = None
    # A missing file is no error: an empty table is landed the first time (the lookup finds nothing).
    required: bool = True


def _col(*checks, nullable=False):
    return pa.Column("string", checks=list(checks), nullable=nullable)


def _province() -> pa.Column:
    # the provinces of seed `provinces`, looked up when a file is checked (not at import)
    return _col(pa.Check(lambda s: s.isin(["", *official_provinces()]), element_wise=False,
                         error="provincie is not one of the 12 provinces (seed provinces)"))


def _article(noun: str) -> str:
    return "an" if noun[:1] in "aeiou" else "a"


def check_mergers(frame: pd.DataFrame, display: str, *, key: str = "instellingscode",
                  what: str = "institution") -> None:
    """Every merger (opgegaan_in) names a code of this file, and no chain of mergers is a cycle
    (A -> B -> C -> A would leave no surviving code: the figures would land under any of them)."""
    line_of = dict(zip(frame[key], frame["line_number"]))
    into = {code: target for code, target in zip(frame[key], frame["opgegaan_in"]) if target}
    for code, target in into.items():
        if target not in line_of:
            raise RejectedFile(display, f"{code} merges into {target} (opgegaan_in), which is not {_article(what)} {what} "
                                        f"code in this file; rejected, the previously loaded reference stays",
                               line=int(line_of[code]), column="opgegaan_in")
    for start in into:
        chain = [start]
        while chain[-1] in into:
            nxt = into[chain[-1]]
            if nxt in chain:
                cycle = chain[chain.index(nxt):]
                first = min(cycle, key=lambda c: line_of[c])
                at = cycle.index(first)
                ordered = [*cycle[at:], *cycle[:at], first]
                lines = ", ".join(str(int(line_of[c])) for c in ordered[:-1])
                raise RejectedFile(display, f"merger cycle {' -> '.join(ordered)} (opgegaan_in, lines {lines}): no "
                                            f"surviving {what}; rejected, the previously loaded reference stays",
                                   line=int(line_of[first]), column="opgegaan_in")
            chain.append(nxt)


def check_gemeenten(frame: pd.DataFrame, display: str) -> None:
    """Mergers as for institutions; a municipality that has not merged away has its province."""
    check_mergers(frame, display, key="gemeentenummer", what="municipality")
    missing = frame[(frame["provincie"] == "") & (frame["opgegaan_in"] == "")]
    if len(missing):
        row = missing.iloc[0]
        raise RejectedFile(display, f"{row['gemeentenummer']} {row['gemeentenaam']} has neither a provincie nor "
                                    f"opgegaan_in; rejected, the previously loaded reference stays",
                           line=int(row["line_number"]), column="provincie")


REFERENCES = {
    "croho_classification": ReferenceSpec(
        name="croho_classification",
        file="reference/croho_classification.csv",
        schema=pa.DataFrameSchema({
            "opleidingscode": _col(pa.Check.str_matches(r"^\d{1,6}$", error="opleidingscode is not numeric")),
            "opleidingsnaam": _col(),
            "onderdeel": _col(),
            "betatechniek": _col(_J_N),
            "informatica": _col(_J_N),
        }, strict=True, unique=["opleidingscode"]),
    ),
    "institutions": ReferenceSpec(
        name="institutions",
        file="reference/institutions.csv",
        schema=pa.DataFrameSchema({
            "instellingscode": _col(_CODE),
            "naam": _col(),
            "soort": _col(pa.Check.isin(["po", "vo", "vmbo", "mbo", "hbo", "wo"], error="unknown soort")),
            "opgegaan_in": _col(pa.Check.str_matches(r"^([0-9A-Z]{4})?$", error="opgegaan_in is not a code")),
            "per_jaar": _col(pa.Check.str_matches(r"^((19|20)\d\d)?$", error="per_jaar is not a year")),
            "provincie": _province(),
        }, strict=True, unique=["instellingscode"]),
        check=check_mergers,
        optional_columns=("provincie",),
        normalise={"provincie": canonical_provinces},
    ),
    # The municipalities of the division of 1 January 2025 and those merged away since (opgegaan_in:
    # the municipality they became part of); docs/data-definitions.md, "Where a figure's province comes from".
    "gemeenten": ReferenceSpec(
        name="gemeenten",
        file="reference/gemeenten.csv",
        schema=pa.DataFrameSchema({
            "gemeentenummer": _col(pa.Check.str_matches(r"^\d{4}$", error="gemeentenummer is not 4 digits")),
            "gemeentenaam": _col(pa.Check.str_length(min_value=1, error="gemeentenaam is empty")),
            "provincie": _province(),
            "opgegaan_in": _col(pa.Check.str_matches(r"^(\d{4})?$", error="opgegaan_in is not a gemeentenummer")),
            "andere_namen": _col(),
        }, strict=True, unique=["gemeentenummer"]),
        check=check_gemeenten,
        normalise={"provincie": canonical_provinces},
        required=False,
    ),
}


PROGRAMS = ReferenceSpec(
    name="program_participation",
    file="programs/*.csv",
    schema=pa.DataFrameSchema({
        "instellingscode": _col(_CODE),
        # the programs of seed `programs`, looked up when a file is checked (not at import)
        "programma": _col(pa.Check(lambda s: s.isin(programs()), element_wise=False, error="unknown programma")),
        "vanaf": _col(pa.Check.str_matches(r"^(19|20)\d\d$", error="vanaf is not a year")),
        "tot_en_met": _col(pa.Check.str_matches(r"^((19|20)\d\d)?$", error="tot_en_met is not a year")),
    }, strict=True, checks=[pa.Check(lambda df: (df["tot_en_met"] == "") | (df["tot_en_met"] >= df["vanaf"]),
                                     error="tot_en_met is before vanaf")]),
)


def _expected_header(spec: ReferenceSpec, header: list[str], display: str) -> list[str]:
    """The schema's columns, less those optional last columns the header leaves out."""
    columns = list(spec.schema.columns)
    for n_left_out in range(len(spec.optional_columns) + 1):
        if header == columns[:len(columns) - n_left_out]:
            return header
    optional = f" (the last {len(spec.optional_columns)} optional)" if spec.optional_columns else ""
    raise RejectedFile(display, f"header must be {';'.join(columns)}{optional}, found {';'.join(header)}", line=1)


def read_reference(spec: ReferenceSpec, data: bytes, display: str | None = None) -> pd.DataFrame:
    display = display or spec.file
    try:
        parsed = read_delimited(Path(display), data, display, encoding="utf-8-sig")
    except RejectedFile as rejected:
        raise guards.explain_encoding(rejected, data) from None
    header = [h.strip().lower() for h in parsed.header]
    expected = _expected_header(spec, header, display)
    rows = [(line, [f.strip() for f in fields]) for line, fields in parsed.records if any(f.strip() for f in fields)]
    if not rows:  # an emptied file must not replace (wipe) the loaded rows
        raise RejectedFile(display, "no data rows below the header: rejected, the previously loaded rows stay",
                           line=2)
    for line, fields in rows:
        if len(fields) != len(expected):
            raise RejectedFile(display, f"expected {len(expected)} fields, found {len(fields)}", line=line)
    frame = pd.DataFrame([f for _, f in rows], columns=expected, dtype="string")
    for column in spec.schema.columns:
        if column not in frame:  # an optional column the file leaves out
            frame[column] = pd.Series("", index=frame.index, dtype="string")
    for column, normalise in (spec.normalise or {}).items():
        frame[column] = normalise(frame[column]).fillna("")
    try:
        spec.schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
        # A whole-row check (tot_en_met before vanaf) reports every column of the row: name the one it is about.
        row_level = cases[(cases["schema_context"] == "DataFrameSchema") & (cases["column"] == "tot_en_met")]
        case = (row_level if len(row_level) else cases).iloc[0]
        line = rows[int(case["index"])][0] if pd.notna(case["index"]) else None
        raise RejectedFile(display, f"{case['check']} ({case['failure_case']!r}); "
                           f"{len(err.failure_cases)} problem(s) in total", line=line,
                           column=case["column"]) from None
    frame["line_number"] = [line for line, _ in rows]
    if spec.check is not None:
        spec.check(frame, display)
    return frame


def ingest_reference(con: duckdb.DuckDBPyConnection, raw_dir: Path, name: str, run_id: str) -> dict:
    """Replace `landing.<name>` with the file's rows, unless the file is missing or rejected."""
    spec = REFERENCES[name]
    ensure_landing(con)
    path = raw_dir / spec.file
    if not path.is_file() and not path.is_symlink():
        if not spec.required:
            return _without_optional_file(con, spec)
        raise RejectedFile(spec.file, "reference file is missing; the monitor cannot classify without it")
    digest = ""  # a file that is not read (a symlink, say) has none
    try:
        guards.check_regular_file(path, raw_dir, spec.file)
        data = path.read_bytes()
        digest = sha256_of(data)
        frame = read_reference(spec, data)
    except RejectedFile as rejected:
        record_rejection(con, run_id, name, spec.file, digest, rejected)
        exists = con.execute("select count(*) from information_schema.tables where table_schema='landing' "
                             "and table_name=?", [name]).fetchall()[0][0]
        if not exists:
            raise
        # the kept table of an older release gains the columns added since (empty), so the models read it
        for column in spec.schema.columns:
            con.execute(f"alter table landing.{name} add column if not exists {column} varchar default ''")
        return {"file": spec.file, "rejected": str(rejected), "kept_previous": True}
    frame = frame.assign(source_file=spec.file, sha256=digest)  # noqa: F841 - scanned by DuckDB
    con.execute(f"create or replace table landing.{name} as select * from frame")
    return {"file": spec.file, "sha256": digest, "rows": len(frame)}


def _without_optional_file(con: duckdb.DuckDBPyConnection, spec: ReferenceSpec) -> dict:
    """An optional reference that is not there: its previously loaded rows stay; the first time, an
    empty table, so the models' lookups find nothing (and say so) instead of failing."""
    columns = ", ".join(f"{c} varchar" for c in spec.schema.columns)
    con.execute(f"create table if not exists landing.{spec.name} ({columns}, line_number bigint, "
                "source_file varchar, sha256 varchar)")
    rows = con.execute(f"select count(*) from landing.{spec.name}").fetchall()[0][0]
    return {"file": spec.file, "missing": True, "rows_kept": rows}


def known_institutions(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Codes in `landing.institutions`, or an empty set when that table has not been loaded."""
    exists = con.execute("select count(*) from information_schema.tables where table_schema = 'landing' "
                         "and table_name = 'institutions'").fetchall()[0][0]
    if not exists:
        return set()
    return {code for (code,) in con.execute("select instellingscode from landing.institutions").fetchall()
            if code is not None}


PROGRAM_QUARANTINE_COLUMNS = ["source_file", "line_number", "instellingscode", "programma", "vanaf", "tot_en_met",
                              "column_header", "reason", "sha256"]


def quarantine_unknown_institutions(frame: pd.DataFrame, known: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows whose institution `reference/institutions.csv` knows, the others with a reason). Without a
    loaded reference every code is unknown: a participant the monitor cannot identify never counts."""
    unknown = ~frame["instellingscode"].isin(known)
    reason = ("unknown institution code (not in reference/institutions.csv)" if known else
              "unknown institution code (no institutions reference loaded; every code is unknown)")
    quarantined = frame[unknown].assign(column_header="instellingscode", reason=reason)
    return frame[~unknown], quarantined


def ingest_programs(con: duckdb.DuckDBPyConnection, raw_dir: Path, run_id: str) -> dict:
    """Load every `programs/*.csv` into `landing.program_participation`, file by file.

    A valid file replaces that file's rows; a rejected file keeps its previously loaded rows; rows of
    a file that is no longer there are removed (program files are current state). A row naming an
    institution unknown to `landing.institutions` goes to `landing.program_quarantine` instead.
    """
    ensure_landing(con)
    con.execute("""create table if not exists landing.program_participation (
        instellingscode varchar, programma varchar, vanaf varchar, tot_en_met varchar,
        line_number bigint, source_file varchar, sha256 varchar)""")
    con.execute("""create table if not exists landing.program_quarantine (
        source_file varchar, line_number bigint, instellingscode varchar, programma varchar, vanaf varchar,
        tot_en_met varchar, column_header varchar, reason varchar, sha256 varchar)""")
    known = known_institutions(con)
    folder = raw_dir / "programs"
    files = sorted(folder.glob("*")) if folder.is_dir() else []
    summary: dict = {"loaded": [], "rejected": [], "ignored": [], "quarantined": []}
    present = []
    for path in files:
        display = path.relative_to(raw_dir).as_posix()
        if (path.is_dir() and not path.is_symlink()) or path.suffix.lower() != ".csv":
            summary["ignored"].append(f"{display}: not a .csv program file, ignored")
            continue
        present.append(display)
        try:
            guards.check_regular_file(path, raw_dir, display)
        except RejectedFile as rejected:
            record_rejection(con, run_id, "programs", display, "", rejected)
            summary["rejected"].append(str(rejected))
            continue
        data = path.read_bytes()
        digest = sha256_of(data)
        try:
            frame = read_reference(PROGRAMS, data, display)
        except RejectedFile as rejected:
            record_rejection(con, run_id, "programs", display, digest, rejected)
            summary["rejected"].append(str(rejected))
            continue
        frame = frame.assign(source_file=display, sha256=digest)
        accepted, quarantined = quarantine_unknown_institutions(frame, known)  # noqa: F841 - scanned by DuckDB
        quarantined = quarantined[PROGRAM_QUARANTINE_COLUMNS]
        con.execute("begin transaction")
        con.execute("delete from landing.program_participation where source_file = ?", [display])
        con.execute("delete from landing.program_quarantine where source_file = ?", [display])
        con.execute("insert into landing.program_participation by name select * from accepted")
        con.execute("insert into landing.program_quarantine by name select * from quarantined")
        con.execute("commit")
        summary["loaded"].append(display)
        summary["quarantined"] += [
            {"delivery_file": display, "line_number": int(r.line_number), "column_header": r.column_header,
             "raw_value": r.instellingscode, "reason": f"{r.reason}; program {r.programma} is blocked"}
            for r in quarantined.itertuples(index=False)]
    loaded = {r[0] for r in con.execute("select source_file from landing.program_participation union "
                                        "select source_file from landing.program_quarantine").fetchall()}
    stale = sorted(loaded - set(present))
    for display in stale:
        con.execute("delete from landing.program_participation where source_file = ?", [display])
        con.execute("delete from landing.program_quarantine where source_file = ?", [display])
    summary["removed"] = stale
    summary["blocked_programs"] = sorted(r[0] for r in con.execute(
        "select distinct programma from landing.program_quarantine").fetchall())
    return summary
