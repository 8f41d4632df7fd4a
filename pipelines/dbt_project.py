"""The dbt project as Dagster sees it, and its manifest (parsed once, again only when dbt files change)."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from pipelines.paths import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
# dbt from this interpreter's environment, so nothing depends on an activated venv or PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, dbt_executable=DBT_EXECUTABLE)


def _newest_source_mtime() -> float:
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        files.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in files)


def ensure_manifest() -> Path:
    """`dbt parse` when the manifest is missing or older than the dbt sources.

    DbtProject.prepare_if_dev() only acts under `dagster dev`; the CLI, tests and CI need it too.
    """
    manifest = dbt_project.manifest_path
    if not manifest.exists() or manifest.stat().st_mtime < _newest_source_mtime():
        dbt_resource().cli(["--quiet", "parse"], target_path=dbt_project.target_path).wait()
    return manifest

