"""DuckDB's memory settings (issue 18): declared once in dbt_project.yml, applied to the job's
connections and handed to dbt's profile as vars."""

from __future__ import annotations

import duckdb
import yaml

from pipelines.dbt_settings import dbt_vars
from pipelines.paths import DBT_PROJECT_DIR
from pipelines.settings import RunSettings


def test_the_job_connections_have_the_declared_memory_limit_and_temp_directory(tmp_path):
    settings = RunSettings(warehouse=str(tmp_path / "state" / "warehouse.duckdb"))
    with settings.connect() as con:
        limit, temp = con.execute("select current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    with duckdb.connect() as plain:  # DuckDB prints a limit in MiB/GiB: the declared one, as DuckDB prints it
        plain.execute(f"set memory_limit = '{dbt_vars()['duckdb_memory_limit']}'")
        expected = plain.execute("select current_setting('memory_limit')").fetchone()[0]
    assert limit == expected
    assert temp == str(tmp_path / "state" / dbt_vars()["duckdb_temp_directory"])
    with settings.connect() as again:  # one configuration for every connection of a process
        assert again.execute("select current_setting('memory_limit')").fetchone()[0] == limit


def test_dbt_gets_the_same_settings_as_vars_and_its_profile_uses_them(tmp_path):
    settings = RunSettings(warehouse=str(tmp_path / "warehouse.duckdb"))
    passed = settings.dbt_vars()
    assert passed["duckdb_memory_limit"] == str(dbt_vars()["dbt_duckdb_memory_limit"])
    assert passed["duckdb_temp_directory"] == settings.duckdb_config()["temp_directory"]
    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    duckdb_settings = profile["betamonitor"]["outputs"]["warehouse"]["config_options"]
    assert "var('duckdb_memory_limit'" in duckdb_settings["memory_limit"]
    assert "var('duckdb_temp_directory'" in duckdb_settings["temp_directory"]
