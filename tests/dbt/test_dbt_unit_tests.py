"""The dbt unit tests (`unit_tests:` in dbt_project/models/**/*.yml), one pytest case each.

The nightly job does not run them. Here they run against a scratch warehouse in a temp dir: the
landing tables come from the project's ingest code on the tiny raw directory of tests/conftest.py,
every model is built empty (`dbt build --empty`: dbt unit tests need their direct parents to exist
as relations, for the column types), then `dbt test --select test_type:unit` runs them all at once.
Each case reads its own result from that run's run_results.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.conftest import write_small_raw

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = str(Path(sys.executable).parent / "dbt")


def declared_unit_tests() -> list[str]:
    """`<model>::<name>` of every dbt unit test declared in the project's yml files."""
    names = []
    for path in sorted((DBT_PROJECT / "models").rglob("*.yml")):
        for test in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("unit_tests") or []:
            names.append(f"{test['model']}::{test['name']}")
    return names


def land_tiny_raw(raw: Path, warehouse: Path) -> None:
    """The landing schema as the ingest assets write it (every source table exists, some rows)."""
    from pipelines.ingest.audits import ensure_audit_tables
    from pipelines.ingest.datasets import DATASETS
    from pipelines.ingest.deliveries import ingest_dataset
    from pipelines.ingest.reference import REFERENCES, ingest_programs, ingest_reference

    write_small_raw(raw)
    with duckdb.connect(str(warehouse)) as con:
        for name in REFERENCES:
            ingest_reference(con, raw, name, "dbt-unit-tests")
        ingest_programs(con, raw, "dbt-unit-tests")
        ensure_audit_tables(con)
        for dataset in DATASETS:
            ingest_dataset(con, raw, dataset, "dbt-unit-tests")


def dbt(work: Path, *args: str) -> subprocess.CompletedProcess:
    # A resource-type filter in the environment (e.g. to keep unit tests out of a job) does not apply here.
    env = {k: v for k, v in os.environ.items() if k not in ("DBT_EXCLUDE_RESOURCE_TYPES", "DBT_RESOURCE_TYPES")}
    env |= {"BETAMONITOR_WAREHOUSE": str(work / "warehouse.duckdb"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [DBT, *args, "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT),
         "--target-path", str(work / "target"), "--log-path", str(work / "logs"), "--no-use-colors"],
        cwd=DBT_PROJECT, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def unit_test_results(tmp_path_factory) -> dict[str, dict]:
    """`<model>::<name>` -> its result in run_results.json of one `dbt test --select test_type:unit`."""
    work = tmp_path_factory.mktemp("dbt_unit_tests")
    land_tiny_raw(work / "raw", work / "warehouse.duckdb")
    built = dbt(work, "build", "--empty", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-2000:]
    tested = dbt(work, "test", "--select", "test_type:unit")
    results = json.loads((work / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    by_name = {}
    for result in results:
        _, _, model, name = result["unique_id"].split(".", 3)
        by_name[f"{model}::{name}"] = result
    assert by_name, tested.stdout[-4000:] + tested.stderr[-2000:]
    return by_name


@pytest.mark.parametrize("unit_test", declared_unit_tests())
def test_dbt_unit_test(unit_test_results, unit_test):
    result = unit_test_results.get(unit_test)
    if result is None:
        pytest.fail(f"dbt did not run {unit_test}", pytrace=False)
    if result["status"] != "pass":
        pytest.fail(f"{unit_test}: {result['status']}\n{result['message']}", pytrace=False)


def test_every_unit_test_dbt_ran_is_declared(unit_test_results):
    assert sorted(unit_test_results) == sorted(declared_unit_tests())
