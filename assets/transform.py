"""dbt models as Dagster assets: landing -> staging -> intermediate -> marts (one `dbt build`)."""

import json
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, dbt_assets

from assets.dbt import BetamonitorDbtCli, dbt_project
from assets.resources import BetamonitorSettings
from pipelines.quality.quarantine_holds import write_quarantine_holds
from pipelines.runs.pause import pause_point


class LayeredTranslator(DagsterDbtTranslator):
    """Asset keys and groups follow the model folder: ["marts", "sector_growth"], group "marts"."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "model":
            return dg.AssetKey([dbt_resource_props["fqn"][1], dbt_resource_props["name"]])
        if dbt_resource_props["resource_type"] == "seed":
            return dg.AssetKey(["reference", dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "model":
            return dbt_resource_props["fqn"][1]
        return "reference"


@lru_cache(maxsize=1)
def dbt_models() -> dg.AssetsDefinition:
    """The dbt assets, made once per process from the (lazily parsed) manifest."""
    project = dbt_project()

    @dbt_assets(manifest=project.manifest_path, project=project, dagster_dbt_translator=LayeredTranslator(),
                name="dbt_models")
    def _dbt_models(context: dg.AssetExecutionContext, dbt: BetamonitorDbtCli, settings: BetamonitorSettings):
        # The run's options and its warehouse reach dbt as vars. dbt unit tests (model logic on fixed
        # inputs) run in the test suite (tests/dbt), not on every nightly run. --no-write-json: no
        # manifest.json (written twice) or run_results.json per run (~0.6 s of CPU); nothing reads
        # them (the manifest the assets use is dbt_project/target's), and each node's status and
        # timing are in the run's events and in the run state's dbt_target/dbt.log.
        # dbt runs in this process (assets/dbt.py: no start-up and no parse per run).
        args = ["build", "--exclude-resource-type", "unit_test", "--no-write-json"]
        # dbt artifacts of a run live with the run state, not in the repository.
        invocation = dbt.build_in_process(args, vars_json=json.dumps(settings.run.dbt_vars()),
                                          warehouse=Path(settings.warehouse), context=context,
                                          target_path=settings.state_dir / "dbt_target")
        for n, event in enumerate(invocation.stream()):
            if n == 0:
                pause_point("dbt")  # test hook: dbt is running (pipelines/runs/pause.py)
            yield event
        # Which figures each quarantined cell holds back (contract 11.6), for whoever must fix the input.
        report = settings.state_dir / "reports" / context.run_id / "quarantine_holds.csv"
        with settings.connect(read_only=True) as con:
            n_cells, n_holding = write_quarantine_holds(con, report)
        if n_cells:
            context.log.warning(f"{n_cells} quarantined cells in use, {n_holding} of them hold back a published "
                                f"figure: {report}")

    return _dbt_models
