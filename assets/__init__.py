"""Dagster software-defined assets, in data-flow order:
ingest (raw files -> landing) -> transform (dbt models) -> gates (GX checks) -> publish."""
