"""pipelines/publishing/reader.py: a version written by the real publisher is read back; missing or
corrupt files give an error naming the file. And the one loader of the dbt manifest."""

from __future__ import annotations

import json
import os

import pytest

from pipelines import dbt_settings
from pipelines.publishing import diff, publisher, reader
from pipelines.publishing.publisher import publish_mart
from pipelines.trace.model import TraceError
from pipelines.trace.publication import load_publication

AS_OF = "2008-03-17"


def publish(con, publish_dir, rows, as_of=AS_OF, run_id="run-1"):
    con.execute("create or replace table mart_rows (sector varchar, year integer, value decimal(18, 1))")
    con.executemany("insert into mart_rows values (?, ?, ?)", [list(r) for r in rows])
    return publish_mart(con, mart="sector_growth", relation="mart_rows", order_by=["sector", "year"],
                        publish_dir=publish_dir, as_of=as_of,
                        metadata={"as_of": as_of, "description": "testtabel", "grain": ["sector", "year"]},
                        validation={"success": True, "suite_name": "sector_growth"}, run_id=run_id)


@pytest.fixture
def two_versions(con, tmp_path):
    out = tmp_path / "published"
    first = publish(con, out, [("hbo", 2000, "2.5"), ("wo", 2000, "1.5")])
    second = publish(con, out, [("hbo", 2000, "2.5"), ("hbo", 2001, "3.0"), ("wo", 2000, "1.5")],
                     as_of="2009-03-16", run_id="run-2")
    return out, first, second


def test_a_published_version_is_read_back(two_versions):
    out, first, second = two_versions
    assert reader.read_catalog(out) == publisher.read_catalog(out) == json.loads((out / "catalog.json").read_text())
    assert reader.current_version(out, "sector_growth") == second.version
    assert reader.history(out, "sector_growth") == [first.version, second.version]
    metadata, rows = reader.read_version(out, "sector_growth", second.version)
    assert metadata["version"] == second.version and metadata["mart"] == "sector_growth"
    assert metadata["row_count"] == 3 and metadata["description"] == "testtabel"
    assert rows == [{"sector": "hbo", "year": "2000", "value": "2.5"}, {"sector": "hbo", "year": "2001", "value": "3.0"},
                    {"sector": "wo", "year": "2000", "value": "1.5"}]
    paths = reader.version_paths(out, "sector_growth", second.version)
    assert paths.folder == second.directory
    assert (paths.csv.name, paths.parquet.name, paths.metadata.name, paths.validation.name) == (
        "data.csv", "data.parquet", "metadata.json", "validation.json")
    assert all(p.is_file() for p in (paths.csv, paths.parquet, paths.metadata, paths.validation))
    # the aliases the site still uses give the same
    assert diff.load_version(out, "sector_growth", second.version) == (metadata, rows)
    assert load_publication(out, "sector_growth", None) == (second.version, metadata, rows)
    assert reader.current_versions(out) == [("sector_growth", second.version, metadata)]


def test_history_and_the_version_before(two_versions):
    out, first, second = two_versions
    versions = reader.history(out, "sector_growth")
    assert reader.previous_version(versions, second.version) == first.version
    assert reader.previous_version(versions, first.version) is None
    assert reader.previous_version(versions, "unknown") is None
    assert reader.version_before(out, "sector_growth", second.version) == first.version
    # a version the catalog history does not know: the newest folder whose name sorts before it
    assert reader.version_before(out, "sector_growth", "2010-01-01_000000000000") == second.version
    assert reader.version_folders(out, "sector_growth") == sorted([first.version, second.version])
    assert diff.resolve_versions(out, "sector_growth", None, None) == (first.version, second.version)


def test_nothing_published_is_an_empty_catalog(tmp_path):
    assert reader.read_catalog(tmp_path) == {"catalog_format": 1, "marts": {}}
    assert reader.catalog_entry(tmp_path, "sector_growth") is None
    assert reader.history(tmp_path, "sector_growth") == [] and reader.current_versions(tmp_path) == []
    assert reader.version_folders(tmp_path, "sector_growth") == []


def test_missing_metadata_names_the_file(two_versions):
    out, _, second = two_versions
    path = out / "sector_growth" / second.version / "metadata.json"
    path.unlink()
    with pytest.raises(reader.PublicationError, match=r"metadata\.json: missing") as err:
        reader.read_metadata(out, "sector_growth", second.version)
    assert str(path) in str(err.value) and err.value.cause == "FileNotFoundError"
    assert reader.try_metadata(out, "sector_growth", second.version) is None
    assert reader.current_versions(out) == []  # skipped, as latest/ does
    with pytest.raises(diff.DiffError, match="is not in"):
        diff.load_version(out, "sector_growth", second.version)
    with pytest.raises(TraceError, match="is not in"):
        load_publication(out, "sector_growth", None)
    assert publisher.version_problems(out, "sector_growth", second.version) == [
        f"sector_growth/{second.version}/metadata.json: unreadable (FileNotFoundError)"]


@pytest.mark.parametrize("text, what", [("{not json", "not valid JSON"), ("[1, 2]", "not a JSON object")])
def test_corrupt_metadata_names_the_file(two_versions, text, what):
    out, _, second = two_versions
    path = out / "sector_growth" / second.version / "metadata.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(reader.PublicationError, match=what) as err:
        reader.read_metadata(out, "sector_growth", second.version)
    assert str(err.value).startswith(str(path))
    with pytest.raises(diff.DiffError, match="metadata.json"):
        diff.load_version(out, "sector_growth", second.version)
    with pytest.raises(TraceError, match="metadata.json"):
        load_publication(out, "sector_growth", None)
    assert publisher.version_problems(out, "sector_growth", second.version) == [
        f"sector_growth/{second.version}/metadata.json: unreadable "
        f"({'JSONDecodeError' if what == 'not valid JSON' else 'TypeError'})"]


def test_missing_data_names_the_file(two_versions):
    out, _, second = two_versions
    path = out / "sector_growth" / second.version / "data.csv"
    path.unlink()
    with pytest.raises(reader.PublicationError, match=r"data\.csv: missing") as err:
        reader.read_rows(out, "sector_growth", second.version)
    assert str(path) in str(err.value)
    with pytest.raises(diff.DiffError, match="data.csv"):
        diff.load_version(out, "sector_growth", second.version)


# --- the dbt manifest ---------------------------------------------------------------------------------------

def test_manifest_is_parsed_once_per_file_state(tmp_path, monkeypatch):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {"a": 1}}), encoding="utf-8")
    monkeypatch.setattr(dbt_settings, "MANIFEST_PATH", path)
    first = dbt_settings.load_manifest(ensure=False)
    assert first == {"nodes": {"a": 1}}
    assert dbt_settings.load_manifest(ensure=False) is first  # cached: not read again
    path.write_text(json.dumps({"nodes": {"b": 2}}), encoding="utf-8")  # a new dbt parse
    os.utime(path, ns=(1, 1))
    assert dbt_settings.load_manifest(ensure=False) == {"nodes": {"b": 2}}
    path.unlink()
    with pytest.raises(FileNotFoundError):
        dbt_settings.load_manifest(ensure=False)


def test_manifest_ensured_by_default(tmp_path, monkeypatch):
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps({"nodes": {}}), encoding="utf-8")
    calls = []
    monkeypatch.setattr(dbt_settings, "ensure_manifest", lambda: calls.append(1) or path)
    assert dbt_settings.load_manifest() == {"nodes": {}} and calls == [1]


def test_the_real_manifest_serves_lineage_trace_and_metadata():
    manifest = dbt_settings.load_manifest()
    assert "model.betamonitor.sector_growth" in manifest["nodes"]
    assert dbt_settings.load_manifest(ensure=False) is manifest
    from pipelines.lineage import upstream_marts
    from pipelines.trace import model_chain
    assert upstream_marts("audit_judgements", ["institution_growth", "sector_growth"]) == ["institution_growth"]
    assert model_chain("sector_growth")[-1]["model"] == "sector_growth"
