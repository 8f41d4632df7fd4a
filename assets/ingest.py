"""Ingest assets: one per raw dataset folder / reference file, each loading the DuckDB landing schema.

The DUO assets follow the datasets declared in dbt_project.yml (var duo_datasets), each read by its
reader in pipelines/ingest/datasets.py.
"""


import csv
from functools import lru_cache
from pathlib import Path

import dagster as dg

from assets.resources import BetamonitorSettings
from pipelines.ingest.audits import ingest_audits
from pipelines.ingest.datasets import DATASETS, check_readers_match_declarations
from pipelines.ingest.decisions import DECISIONS_FILE, ingest_decisions
from pipelines.ingest.deliveries import ingest_dataset
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reference import REFERENCES, ingest_programs, ingest_reference
from pipelines.publishing.csv_safety import escape_row

KNOWN_TOP_LEVEL = {"duo", "programs", "audits", "reference", "decisions.csv"}
# Contract datasets this release does not read yet: reported, never silently used.
NOT_YET_SUPPORTED: set[str] = set()


def unknown_inputs(raw_dir: Path) -> list[str]:
    """Folders and files the contract does not know: reported and ignored."""
    notes = []
    if not raw_dir.is_dir():
        return [f"raw directory {raw_dir} does not exist"]
    for entry in sorted(raw_dir.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.name not in KNOWN_TOP_LEVEL:
            notes.append(f"{entry.name}: unknown folder or file, ignored")
    duo = raw_dir / "duo"
    if duo.is_dir():
        for entry in sorted(duo.iterdir()):
            if entry.name in NOT_YET_SUPPORTED:
                notes.append(f"duo/{entry.name}: dataset not read by this release yet, ignored")
            elif entry.name not in DATASETS and not entry.name.startswith("."):
                notes.append(f"duo/{entry.name}: unknown dataset folder, ignored")
    return notes


def write_quarantine_report(state_dir: Path, run_id: str, dataset: str, rows: list[dict]) -> Path:
    path = state_dir / "reports" / run_id / f"quarantine_{dataset}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["delivery_file", "line_number", "column_header", "raw_value", "reason"])
        writer.writeheader()
        writer.writerows(escape_row(row) for row in rows)  # no formula injection in the report
    return path


def log_rejected_and_ignored(context: dg.AssetExecutionContext, summary: dict) -> None:
    """Current-state inputs (programs, audits): a rejected file keeps its previously loaded rows."""
    for rejected in summary["rejected"]:
        context.log.error(f"rejected {rejected}; keeping that file's previously loaded rows")
    for note in summary["ignored"]:
        context.log.warning(note)


def build_duo_asset(dataset: str) -> dg.AssetsDefinition:
    key = dg.AssetKey(["landing", dataset])
    description = DATASETS[dataset].description

    @dg.asset(key=key, group_name="ingest", kinds={"python", "duckdb"}, description=description,
              check_specs=[dg.AssetCheckSpec("all_files_readable", asset=key,
                                             description="Every file in the folder could be read as this dataset.")])
    def _ingest(context: dg.AssetExecutionContext, settings: BetamonitorSettings):
        raw_dir = Path(settings.raw_dir)
        with settings.connect() as con:
            report = ingest_dataset(con, raw_dir, dataset, context.run_id)
        if report.folder_missing:
            context.log.warning(f"duo/{dataset} is missing: its sector is absent from the marts")
        for rejected in report.rejected:
            context.log.error(f"rejected {rejected}")
        for note in report.ignored:
            context.log.warning(note)
        metadata = {
            "ignored": report.ignored,
            "new_deliveries": report.new_deliveries,
            "known_deliveries": len(report.known_deliveries),
            "rejected": [str(r) for r in report.rejected],
            "quarantined_cells": len(report.quarantined),
            "folder_missing": report.folder_missing,
        }
        if report.quarantined:
            path = write_quarantine_report(settings.state_dir, context.run_id, dataset, report.quarantined)
            context.log.warning(f"{len(report.quarantined)} cells quarantined in duo/{dataset}; report: {path}")
            metadata["quarantine_report"] = dg.MetadataValue.path(str(path))
        yield dg.MaterializeResult(metadata=metadata)
        yield dg.AssetCheckResult(check_name="all_files_readable", passed=not report.rejected,
                                  severity=dg.AssetCheckSeverity.WARN,
                                  metadata={"rejected": [str(r) for r in report.rejected]})

    return _ingest


def build_reference_asset(name: str) -> dg.AssetsDefinition:
    @dg.asset(key=["landing", name], group_name="ingest", kinds={"python", "duckdb"},
              description=f"`{REFERENCES[name].file}` (current state; replaced whole when valid).")
    def _reference(context: dg.AssetExecutionContext, settings: BetamonitorSettings) -> dg.MaterializeResult:
        raw_dir = Path(settings.raw_dir)
        ignored = unknown_inputs(raw_dir) if name == "croho_classification" else []  # once per run
        for note in ignored:
            context.log.warning(note)
        with settings.connect() as con:
            try:
                result = ingest_reference(con, raw_dir, name, context.run_id)
            except RejectedFile as rejected:
                raise dg.Failure(description=str(rejected)) from None
        if "rejected" in result:
            context.log.error(f"rejected {result['rejected']}; keeping the previously loaded version")
        return dg.MaterializeResult(metadata={**{k: str(v) for k, v in result.items()}, "ignored": ignored})

    return _reference


PROGRAM_KEYS = [dg.AssetKey(["landing", "program_participation"]), dg.AssetKey(["landing", "program_quarantine"])]


@dg.multi_asset(
    specs=[dg.AssetSpec(PROGRAM_KEYS[0], group_name="ingest", kinds={"python", "duckdb"},
                        deps=[dg.AssetKey(["landing", "institutions"])],  # a participant must be a known institution
                        description="`programs/*.csv`: which institution takes part in which Platform program, "
                                    "per year range."),
           dg.AssetSpec(PROGRAM_KEYS[1], group_name="ingest", kinds={"python", "duckdb"},
                        description="Program rows naming an institution unknown to reference/institutions.csv "
                                    "(file, line, reason): they block their program's figures.")],
    check_specs=[dg.AssetCheckSpec("all_files_readable", asset=PROGRAM_KEYS[0])],
    name="program_participation",
)
def program_participation(context: dg.AssetExecutionContext, settings: BetamonitorSettings):
    with settings.connect() as con:
        summary = ingest_programs(con, Path(settings.raw_dir), context.run_id)
    log_rejected_and_ignored(context, summary)
    quarantine = {"quarantined_rows": len(summary["quarantined"]), "blocked_programs": summary["blocked_programs"]}
    if summary["quarantined"]:
        path = write_quarantine_report(settings.state_dir, context.run_id, "programs", summary["quarantined"])
        context.log.warning(f"{len(summary['quarantined'])} program rows quarantined (unknown institution); "
                            f"blocked programs: {', '.join(summary['blocked_programs'])}; report: {path}")
        quarantine["quarantine_report"] = dg.MetadataValue.path(str(path))
    yield dg.MaterializeResult(asset_key=PROGRAM_KEYS[0], metadata={
        "loaded": summary["loaded"], "rejected": summary["rejected"], "removed": summary["removed"],
        "ignored": summary["ignored"]})
    yield dg.MaterializeResult(asset_key=PROGRAM_KEYS[1], metadata=quarantine)
    yield dg.AssetCheckResult(asset_key=PROGRAM_KEYS[0], check_name="all_files_readable",
                              passed=not summary["rejected"], severity=dg.AssetCheckSeverity.WARN,
                              metadata={"rejected": summary["rejected"]})


AUDIT_KEYS = [dg.AssetKey(["landing", "audit_judgements"]), dg.AssetKey(["landing", "audit_quarantine"])]


@dg.multi_asset(
    specs=[dg.AssetSpec(AUDIT_KEYS[0], group_name="ingest", kinds={"python", "duckdb"},
                        deps=[dg.AssetKey(["landing", "institutions"])],  # judged institutions must be known
                        description="`audits/*.xlsx`: accepted audit committee judgements (current state)."),
           dg.AssetSpec(AUDIT_KEYS[1], group_name="ingest", kinds={"python", "duckdb"},
                        description="Audit workbook rows that could not be accepted, with row and reason.")],
    check_specs=[dg.AssetCheckSpec("all_files_readable", asset=AUDIT_KEYS[0])],
    name="audit_workbooks",
)
def audit_workbooks(context: dg.AssetExecutionContext, settings: BetamonitorSettings):
    with settings.connect() as con:
        summary = ingest_audits(con, Path(settings.raw_dir), context.run_id, as_of=settings.run.as_of_date())
    log_rejected_and_ignored(context, summary)
    if summary["quarantined"]:
        context.log.warning(f"{len(summary['quarantined'])} audit rows quarantined")
    yield dg.MaterializeResult(asset_key=AUDIT_KEYS[0], metadata={
        "files_read": summary["files_read"], "rejected": [str(r) for r in summary["rejected"]],
        "rows_loaded": summary["rows_loaded"], "ignored": summary["ignored"]})
    yield dg.MaterializeResult(asset_key=AUDIT_KEYS[1], metadata={"quarantined_rows": len(summary["quarantined"])})
    yield dg.AssetCheckResult(asset_key=AUDIT_KEYS[0], check_name="all_files_readable",
                              passed=not summary["rejected"], severity=dg.AssetCheckSeverity.WARN,
                              metadata={"rejected": [str(r) for r in summary["rejected"]]})


@dg.asset(key=["landing", "delivery_decisions"], group_name="ingest", kinds={"python", "duckdb"},
          description=f"`{DECISIONS_FILE}`: accept/withdraw decisions about deliveries (who, when, why, sha256), "
                      "replaced whole from the file on every run. A malformed file fails the run (nothing is "
                      "published without its decisions).")
def delivery_decisions(context: dg.AssetExecutionContext, settings: BetamonitorSettings) -> dg.MaterializeResult:
    raw_dir = Path(settings.raw_dir)
    with settings.connect() as con:
        try:
            load = ingest_decisions(con, raw_dir)
        except RejectedFile as rejected:
            raise dg.Failure(description=f"rejected {rejected}; the run does not use or publish without its "
                                         "decisions: correct the line") from None
    if load.migrated:
        context.log.warning(f"{len(load.migrated)} decision(s) found only in the warehouse (made by an older "
                            f"betamonitor) appended to {raw_dir / DECISIONS_FILE}: "
                            + "; ".join(f"{d.decision} {d.delivery_file}" for d in load.migrated))
    for note in load.notes:
        context.log.warning(note)
    return dg.MaterializeResult(metadata={
        "file": str(raw_dir / DECISIONS_FILE), "decisions": len(load.decisions),
        "accepted": sorted({d.delivery_file for d in load.decisions if d.decision == "accepted"}),
        "withdrawn": sorted({d.delivery_file for d in load.decisions if d.decision == "withdrawn"}),
        "migrated_from_warehouse": len(load.migrated), "notes": load.notes})


@lru_cache(maxsize=1)
def ingest_assets() -> list[dg.AssetsDefinition]:
    """Every ingest asset: one per declared DUO dataset, per reference file, programs, audits and decisions."""
    check_readers_match_declarations()
    return [*(build_duo_asset(name) for name in DATASETS), *(build_reference_asset(name) for name in REFERENCES),
            program_participation, audit_workbooks, delivery_decisions]
