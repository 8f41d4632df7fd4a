"""Fixtures for the unit tests (fast: no dbt, no Dagster, in-memory DuckDB)."""

from __future__ import annotations

import os

import duckdb
import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.fixture
def raw_dir(tmp_path):
    path = tmp_path / "raw"
    path.mkdir()
    return path
