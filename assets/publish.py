"""Publish steps: write a gated mart as a new immutable version and point the catalog at it."""


import json
from pathlib import Path

import dagster as dg

from assets.gates import gate_result_path
from assets.transform import SECTOR_GROWTH
from pipelines.dbt_project import dbt_project
from pipelines.publishing.metadata import PUBLISHER, code_version, ho_inputs, model_columns
from pipelines.publishing.publisher import publish_mart
from pipelines.settings import BetamonitorSettings

SECTOR_GROWTH_FOOTNOTES = [
    "Counts are bèta/techniek only: CROHO programmes classified bèta/techniek in "
    "reference/croho_classification.csv, or, for codes missing there, onderdeel natuur or techniek.",
    "DUO masks counts 1-4. A masked cell counts 2.5 in value, 1 in value_low and 4 in value_high; "
    "n_masked_cells says how many masked cells a figure contains.",
    "year is the calendar year in which the study year starts (2007 = studiejaar 2007/2008).",
    "Each year comes from the latest DUO delivery containing it (source_delivery); is_provisional "
    "marks figures from the newest, provisional (voorlopig) year of that delivery.",
    "index = 100 x value / baseline_value and growth_pct = index - 100, rounded once to one decimal, "
    "half away from zero.",
    "_excl_informatica measures leave out informatica programmes, whose inflow is cyclical.",
]


def effective_as_of(con, settings: BetamonitorSettings) -> str:
    """The run's as-of date, or, without one, the date of the newest delivery used."""
    if settings.validated_as_of():
        return settings.as_of
    newest = con.execute("select strftime(max(delivery_date), '%Y-%m-%d') "
                         "from intermediate.int_ho_delivery_years").fetchone()[0]
    return newest or "no-deliveries"


@dg.asset(key=["published", "sector_growth"], deps=[SECTOR_GROWTH], group_name="publish", kinds={"csv", "parquet"},
          description="Versioned publication of sector_growth (catalog.json, data.csv, data.parquet, metadata.json).")
def published_sector_growth(context: dg.AssetExecutionContext, settings: BetamonitorSettings) -> dg.MaterializeResult:
    gate_file = gate_result_path(settings, context.run_id, "sector_growth")
    if not gate_file.exists():
        raise dg.Failure("no quality-gate result in this run: the gate and its publish step must run together")
    gate = json.loads(gate_file.read_text(encoding="utf-8"))
    if not gate["summary"]["success"]:
        raise dg.Failure("the quality gate failed in this run; nothing is published")
    with settings.connect(read_only=True) as con:
        columns, model = model_columns(dbt_project.manifest_path, "sector_growth", con, "marts.sector_growth")
        as_of = effective_as_of(con, settings)
        unclassified = con.execute("select opleidingscode, opleidingsnaam, onderdeel, counted_as_betatechniek "
                                   "from intermediate.int_ho_unclassified_programmes order by 1").fetchall()
        metadata = {
            "title": "Bèta/techniek growth per sector (instroom and uitstroom vs 2000)",
            "description": model["description"],
            "publisher": PUBLISHER,
            "grain": ["sector", "measure", "year"],
            "filters": [c["name"] for c in columns if c["role"] == "filter"],
            "indicators": [c["name"] for c in columns if c["role"] == "indicator"],
            "columns": columns,
            "symbols": {"empty cell": "not applicable (no target for this measure)"},
            "footnotes": SECTOR_GROWTH_FOOTNOTES + [
                f"Programme code {code} ({name}, onderdeel {onderdeel}) is not in the CROHO classification; "
                f"counted as bèta/techniek: {'yes' if counted else 'no'}."
                for code, name, onderdeel, counted in unclassified],
            "lineage": {"dbt_model": model["dbt_model"], "dagster_job": "betamonitor_nightly",
                        "quality_gate": "expectations/sector_growth.json"},
            "inputs": ho_inputs(con),
            "code_version": code_version(),
            "run": {"run_id": context.run_id},
            "as_of": as_of,
            "quality_gate": gate["summary"],
        }
        publication = publish_mart(
            con, mart="sector_growth", relation="marts.sector_growth", order_by=["sector", "measure", "year"],
            publish_dir=Path(settings.publish_dir), as_of=as_of, metadata=metadata, validation=gate["validation"])
    context.log.info(f"sector_growth {publication.version} "
                     f"{'published' if publication.newly_written else 'already published; catalog points at it'}")
    return dg.MaterializeResult(metadata={"version": publication.version, "path": str(publication.directory),
                                          "newly_written": publication.newly_written})
