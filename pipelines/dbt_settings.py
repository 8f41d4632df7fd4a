"""dbt project facts Python needs too, read without importing Dagster (the trace CLI stays fast)."""

from __future__ import annotations

from functools import lru_cache

import yaml

from pipelines.paths import DBT_PROJECT_DIR

# dagster-dbt's DbtProject uses this target path too (pipelines/dbt_project.py).
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"


@lru_cache(maxsize=1)
def dbt_vars() -> dict:
    """The project's dbt vars (masking constants, disclosure threshold): one source for SQL and Python."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
