"""The dbt project as Dagster sees it: dagster-dbt's DbtProject and CLI resource, made on first use.

Nothing runs at import: `dbt_project()` parses the project (pipelines/dbt_settings.ensure_manifest,
only when the manifest is missing or stale) the first time the definitions are built.
"""

from __future__ import annotations

from functools import cached_property, lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject
from dagster_dbt.asset_utils import get_updated_cli_invocation_params_for_context
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from packaging import version

from assets.dbt_in_process import DbtInProcess, parsed_manifest, project_flags
from pipelines.dbt_settings import DBT_EXECUTABLE, ensure_manifest
from pipelines.paths import DBT_PROJECT_DIR


@lru_cache(maxsize=1)
def dbt_project() -> DbtProject:
    ensure_manifest()
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


class BetamonitorDbtCli(DbtCliResource):
    """dagster-dbt's CLI resource without two things every `dbt build` paid for and no run uses
    (measured on a cold sample run: about 3 s and 1.5 s of CPU):

    - `dbt --version` in a subprocess (a whole dbt start-up) to learn dbt's version: the dbt
      executable is the one of this environment (DBT_EXECUTABLE), so dbt-core's installed version is it;
    - a dbt adapter built in this process (profile, project and every macro parsed) before dbt runs.
      dagster-dbt uses it only for `fetch_row_counts()` / `fetch_column_metadata()`, which the dbt
      asset (assets/transform.py) does not call. dbt itself still runs as a subprocess.

    tests/unit/test_definitions.py checks that dagster-dbt still has the two methods overridden here.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(package_version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):
        return None

    def build_in_process(self, args: list[str], *, vars_json: str, warehouse: Path,
                         context: dg.AssetExecutionContext, target_path: Path) -> DbtCliInvocation:
        """`dbt build ARGS --vars VARS` for the dbt assets of `context`, run in this process
        (assets/dbt_in_process.py) and read by dagster-dbt as if it were its subprocess.

        A run of a subset of the dbt assets (materialized from Dagster's UI) goes through `cli` and
        its subprocess: dagster-dbt may then build a selector in a temporary copy of the project,
        which the parse kept in this process does not describe."""
        if context.is_subset:
            return self.cli([*args, "--vars", vars_json], context=context, target_path=target_path)
        params = get_updated_cli_invocation_params_for_context(context=context, manifest={},
                                                               dagster_dbt_translator=None)
        indirect = ["--indirect-selection", params.indirect_selection] if params.indirect_selection else []
        process = DbtInProcess([*args, "--vars", vars_json, *params.selection_args, *indirect,
                                *project_flags(target_path)], parsed_manifest(warehouse))
        return DbtCliInvocation(process=process, manifest=params.manifest,
                                dagster_dbt_translator=params.dagster_dbt_translator, project_dir=DBT_PROJECT_DIR,
                                target_path=target_path, raise_on_error=True, context=context, adapter=None,
                                cli_version=self._cli_version, project=params.dbt_project)


def dbt_resource() -> DbtCliResource:
    return BetamonitorDbtCli(project_dir=dbt_project(), dbt_executable=DBT_EXECUTABLE)
