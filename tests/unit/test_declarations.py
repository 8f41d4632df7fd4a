"""Each domain fact is declared once and the rest derives from it: these tests hold the derived
places to their declaration (the DUO datasets in dbt_project.yml, var duo_datasets)."""

from __future__ import annotations

import json

import pytest

from pipelines.dbt_settings import ensure_manifest, seed_rows
from pipelines.ingest import datasets
from pipelines.ingest.datasets import DATASETS, check_readers_match_declarations, datasets_feeding
from pipelines.ingest.layouts import declared_datasets


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(ensure_manifest().read_text(encoding="utf-8"))


def test_every_declared_dataset_has_a_reader_and_every_reader_a_declaration():
    check_readers_match_declarations()
    assert list(declared_datasets()) == list(DATASETS)


def test_a_declared_dataset_without_a_reader_is_refused(monkeypatch):
    monkeypatch.setattr(datasets, "declared_datasets",
                        lambda: {**declared_datasets(), "ho_ingeschrevenen": {"family": "ho"}})
    with pytest.raises(ValueError, match="declared without a reader: \\['ho_ingeschrevenen'\\]"):
        check_readers_match_declarations()


def test_each_declared_dataset_is_a_landing_source_of_its_family_staging_model(manifest):
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    for name, declaration in declared_datasets().items():
        staging = models[f"stg_{declaration['family']}_cells"]
        assert f"source.betamonitor.landing.{name}" in staging["depends_on"]["nodes"], name
        assert f"source.betamonitor.landing.{name}" in models["stg_quarantine"]["depends_on"]["nodes"], name
    # every family's cells hold delivery years (HO through int_ho_cells_classified, which resolves the
    # sector its vintages are ranked by, contract 11.1)
    families = {d["family"] for d in declared_datasets().values()}
    delivery_years = set(models["int_delivery_years"]["depends_on"]["nodes"])
    read = {f"model.betamonitor.stg_{f}_cells" for f in families - {"ho"}} | {"model.betamonitor.int_ho_cells_classified"}
    assert read <= delivery_years
    assert "model.betamonitor.stg_ho_cells" in models["int_ho_cells_classified"]["depends_on"]["nodes"]


def test_every_fed_series_has_a_growth_target_row_and_a_dataset():
    targets = {(r["sector"], r["measure"]) for r in seed_rows("growth_targets")}
    for spec in DATASETS.values():
        for sector, measure in spec.feeds:
            assert (sector, measure) in targets, (spec.name, sector, measure)
            assert spec.name in datasets_feeding(sector, measure)
    assert datasets_feeding("ho", "instroom") == ["ho_eerstejaars"]
    assert datasets_feeding("vmbo", "uitstroom") == ["vmbo_examenkandidaten", "vo_examenkandidaten"]
