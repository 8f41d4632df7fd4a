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


@lru_cache(maxsize=8)
def seed_rows(name: str) -> tuple[dict, ...]:
    """A dbt seed's rows (`dbt_project/seeds/<name>.csv`), for the few rules Python applies at ingest."""
    import csv

    with (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


def programme_types(measure: str) -> dict[str, bool]:
    """HO programme / diploma types known for a measure -> whether they count (seed ho_programme_types)."""
    return {r["programme_type"]: r["is_counted"] == "true" for r in seed_rows("ho_programme_types")
            if r["measure"] == measure}


def sector_parts() -> dict[str, tuple[str, ...]]:
    """Aggregate sectors and the sectors they sum (seed sector_aggregates: ho = hbo + wo, ...)."""
    parts: dict[str, tuple[str, ...]] = {}
    for r in seed_rows("sector_aggregates"):
        parts[r["aggregate_sector"]] = (*parts.get(r["aggregate_sector"], ()), r["part_sector"])
    return parts
