"""Where things live in the repository (independent of the working directory)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
DEFAULT_RAW_DIR = REPO_ROOT / "raw"
DEFAULT_PUBLISH_DIR = REPO_ROOT / "published"
DEFAULT_STATE_DIR = REPO_ROOT / "state"
DEFAULT_WAREHOUSE = DEFAULT_STATE_DIR / "warehouse.duckdb"
