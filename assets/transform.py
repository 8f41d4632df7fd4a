"""dbt models as Dagster assets: landing -> staging -> intermediate -> marts (one `dbt build`)."""


import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from pipelines.dbt_project import dbt_project, ensure_manifest
from pipelines.runs.pause import pause_point
from pipelines.settings import BetamonitorSettings

ensure_manifest()


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


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=LayeredTranslator())
def dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, settings: BetamonitorSettings):
    # dbt runs as a subprocess; the profile reads the warehouse path from the environment.
    os.environ["BETAMONITOR_WAREHOUSE"] = str(settings.warehouse)
    args = ["build", "--vars", json.dumps(settings.dbt_vars())]
    # dbt artifacts of a run live with the run state, not in the repository.
    for n, event in enumerate(dbt.cli(args, context=context, target_path=settings.state_dir / "dbt_target").stream()):
        if n == 0:
            pause_point("dbt")  # test hook: dbt is running (pipelines/runs/pause.py)
        yield event

