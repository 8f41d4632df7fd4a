"""Publish steps: write a gated mart as a new immutable version. The catalog moves once, at the end
of the run, for every mart whose version was written (orchestration/outcome.close_run)."""

from functools import lru_cache
from pathlib import Path

import dagster as dg

from assets.keys import mart_key, published_key
from assets.resources import BetamonitorSettings
from pipelines.dbt_settings import dbt_vars, load_manifest
from pipelines.deliveries_admin import annotate_inputs
from pipelines.lineage import upstream_marts
from pipelines.marts import MARTS, MartSpec
from pipelines.publishing import texts_nl
from pipelines.publishing.metadata import (
    cells_not_counted_by_type,
    code_version,
    gender_unknown,
    model_columns,
    run_inputs,
    series_break_footnotes,
    unclassified_footnotes,
    without_baseline_footnotes,
)
from pipelines.publishing.publication import contributors, license_info, publication_settings
from pipelines.publishing.publisher import write_version
from pipelines.quality.gate_results import passed, read_gate_result
from pipelines.runs.pause import pause_point


def effective_as_of(con, settings: BetamonitorSettings) -> str:
    """The run's as-of date, or, without one, the date of the newest delivery used."""
    if settings.run.validated_as_of():
        return settings.as_of
    newest = con.execute("select strftime(max(delivery_date), '%Y-%m-%d') "
                         "from intermediate.int_delivery_years").fetchall()[0][0]
    return newest or "no-deliveries"


def build_publish_asset(spec: MartSpec) -> dg.AssetsDefinition:
    # Consistent publishing: a mart built on other published marts waits for their publish steps and is
    # held back (skipped by Dagster, or refused below) unless they passed their gates in this run.
    upstream = upstream_marts(spec.name, MARTS)

    @dg.asset(key=published_key(spec.name), deps=[mart_key(spec.name), *[published_key(u) for u in upstream]],
              group_name="publish",
              kinds={"csv", "parquet"},
              description=f"Versioned publication of {spec.name} (data.csv, data.parquet, metadata.json; "
                          "catalog.json points at it when the run ends).")
    def _publish(context: dg.AssetExecutionContext, settings: BetamonitorSettings) -> dg.MaterializeResult:
        gate = read_gate_result(settings.state_dir, context.run_id, spec.name)
        if gate is None:
            raise dg.Failure("no quality-gate result in this run: the gate and its publish step must run together")
        if not passed(gate):
            raise dg.Failure("the quality gate failed in this run; nothing is published")
        for up in upstream:
            if not passed(read_gate_result(settings.state_dir, context.run_id, up)):
                raise dg.Failure(f"held back: built on {up}, whose gate did not pass in this run")
        if gate["summary"].get("empty"):
            return dg.MaterializeResult(metadata={"skipped": "empty mart (no input data): not published"})
        pause_point("gate_publish")  # test hook: gate passed, nothing published yet (pipelines/runs/pause.py)
        with settings.connect(read_only=True) as con:
            columns, model = model_columns(load_manifest(ensure=False), spec.name, con, spec.relation)
            as_of = effective_as_of(con, settings)
            # Every text a reader sees is Dutch (declared once: the dbt YAML meta of the mart and its columns,
            # pipelines/publishing/texts_nl.py, publication.toml); keys and codes are as the contract has them.
            metadata = {
                "title": model["title_nl"],
                "description": model["description_nl"] or model["description"],
                "title_nl": model["title_nl"],
                "description_nl": model["description_nl"],
                # publisher, contact, licence: pipelines/publishing/publication.toml
                "publisher": publication_settings()["publisher"]["title_nl"],
                "contributors": contributors(),
                "license": license_info(),
                "grain": spec.grain,
                "filters": [c["name"] for c in columns if c["role"] == "filter"],
                "indicators": [c["name"] for c in columns if c["role"] == "indicator"],
                "columns": columns,
                "symbols": texts_nl.metadata_symbols(spec.name),
                "footnotes": texts_nl.static_footnotes(spec.name, dbt_vars()["min_publishable_count"])
                + unclassified_footnotes(con) + series_break_footnotes(con) + without_baseline_footnotes(con),
                # contract 11.3: in the totals, left out of every share of women
                "gender_unknown": gender_unknown(con),
                "baseline_year": settings.baseline_year or int(dbt_vars()["baseline_year"]),
                "cells_not_counted_by_type": [{**row, "reason": texts_nl.not_counted_reason(row["reason"])}
                                              for row in cells_not_counted_by_type(con)],
                "lineage": {"dbt_model": model["dbt_model"], "dagster_job": "betamonitor_nightly",
                            "quality_gate": f"expectations/{spec.name}.json"},
                "inputs": (inputs := run_inputs(con)),
                **annotate_inputs(con, inputs),  # accepted revisions per input; withdrawn deliveries
                "code_version": code_version(),
                "as_of": as_of,
                "quality_gate": gate["summary"],
            }
            publication = write_version(
                con, mart=spec.name, relation=spec.relation, order_by=spec.grain,
                publish_dir=Path(settings.publish_dir), as_of=as_of, metadata=metadata, validation=gate["validation"],
                run_id=context.run_id)  # the run goes to the catalog only: the version is run-independent
        if publication.repaired:
            context.log.error(f"{spec.name} {publication.version} was damaged ({publication.repaired}): "
                              "moved aside and written anew")
        context.log.info(f"{spec.name} {publication.version} "
                         f"{'written' if publication.newly_written else 'written already'}; "
                         "the catalog moves to it at the end of the run")
        return dg.MaterializeResult(metadata={"version": publication.version, "path": str(publication.directory),
                                              "newly_written": publication.newly_written,
                                              "repaired": publication.repaired})

    return _publish


@lru_cache(maxsize=1)
def publish_assets() -> list[dg.AssetsDefinition]:
    """One publish step per mart, made when the definitions are built (their deps read the dbt manifest)."""
    return [build_publish_asset(spec) for spec in MARTS.values()]
