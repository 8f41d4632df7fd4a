"""The Dagster code location: the asset graph auditors see runs raw -> landing -> dbt -> gate -> publish."""

from __future__ import annotations

import dagster as dg
import pytest

from orchestration.definitions import JOB_NAME, defs, landing_fingerprint
from pipelines.marts import MARTS


@pytest.fixture(scope="module")
def graph():
    return defs().resolve_asset_graph()


def upstream(graph, key: dg.AssetKey) -> set[dg.AssetKey]:
    seen, todo = set(), [key]
    while todo:
        for parent in graph.get(todo.pop()).parent_keys:
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def test_every_published_mart_rests_on_its_dbt_model_and_the_raw_landing(graph):
    for mart in MARTS:
        published = dg.AssetKey(["published", mart])
        assert dg.AssetKey(["marts", mart]) in graph.get(published).parent_keys
    lineage = upstream(graph, dg.AssetKey(["published", "sector_growth"]))
    assert {dg.AssetKey(["landing", "ho_eerstejaars"]), dg.AssetKey(["staging", "stg_ho_cells"]),
            dg.AssetKey(["intermediate", "int_delivery_years"]), dg.AssetKey(["marts", "sector_growth"])} <= lineage
    assert dg.AssetKey(["landing", "audit_judgements"]) in upstream(graph, dg.AssetKey(["published", "audit_outcomes"]))


def test_each_mart_has_a_blocking_gate(graph):
    for mart in MARTS:
        checks = {c for c in graph.asset_check_keys if c.asset_key == dg.AssetKey(["marts", mart])}
        gate = dg.AssetCheckKey(dg.AssetKey(["marts", mart]), "gx_quality_gate")
        assert gate in checks
        assert graph.get_check_spec(gate).blocking


def test_the_nightly_job_schedule_and_sensor_are_defined():
    job = defs().resolve_job_def(JOB_NAME)
    assert job.executor_def.name == "in_process"
    schedule = defs().resolve_schedule_def(f"{JOB_NAME}_schedule")
    assert schedule.cron_schedule == "0 2 * * *" and schedule.execution_timezone == "Europe/Amsterdam"
    assert defs().resolve_sensor_def("new_delivery_sensor").job_name == JOB_NAME


def test_the_sensor_fingerprint_changes_when_a_delivery_lands(tmp_path):
    (tmp_path / "duo").mkdir()
    before = landing_fingerprint(tmp_path)
    (tmp_path / "duo" / "2009-03-16_x.csv").write_text("a;b\n")
    assert landing_fingerprint(tmp_path) != before


def test_decisions_csv_is_loaded_by_an_ingest_asset_the_models_rest_on(graph):
    """raw/decisions.csv -> landing.delivery_decisions (an ingest asset) -> the dbt models that read it."""
    key = dg.AssetKey(["landing", "delivery_decisions"])
    assert graph.get(key).is_materializable and graph.get(key).group_name == "ingest"
    assert key in graph.get(dg.AssetKey(["intermediate", "int_delivery_revisions"])).parent_keys
    assert key in upstream(graph, dg.AssetKey(["published", "sector_growth"]))


def test_the_dbt_resource_skips_what_no_run_uses():
    """assets/dbt.py overrides two dagster-dbt internals (a `dbt --version` subprocess and an in-process
    adapter, ~4.5 s of CPU per run): an upgrade that renames them must fail here, not slow runs silently."""
    from importlib.metadata import version

    from dagster_dbt import DbtCliResource

    from assets.dbt import BetamonitorDbtCli, dbt_resource

    for name in ("_cli_version", "_initialize_dbt_core_adapter"):
        assert name in vars(DbtCliResource) and name in vars(BetamonitorDbtCli)
    resource = dbt_resource()
    assert isinstance(resource, BetamonitorDbtCli)
    assert str(resource._cli_version) == version("dbt-core")
    assert resource._initialize_dbt_core_adapter(["build"]) is None
