"""The dbt project as Dagster sees it: dagster-dbt's DbtProject and CLI resource, made on first use.

Nothing runs at import: `dbt_project()` parses the project (pipelines/dbt_settings.ensure_manifest,
only when the manifest is missing or stale) the first time the definitions are built.
"""

from __future__ import annotations

from functools import lru_cache

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.dbt_settings import DBT_EXECUTABLE, ensure_manifest
from pipelines.paths import DBT_PROJECT_DIR


@lru_cache(maxsize=1)
def dbt_project() -> DbtProject:
    ensure_manifest()
    return DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project(), dbt_executable=DBT_EXECUTABLE)
