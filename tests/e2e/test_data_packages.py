"""End to end: every published version has a valid Frictionless data package, `<publish>/datapackage.json`
describes the current versions, and latest/<mart>.csv|parquet are the current versions' files, after
a first run, after a run with a newer delivery and after a run that only re-points the catalog
(issue 19, items 6 and 7). Three job runs: the first two are the session's shared small run and
its copy after a newer delivery (`small_run`, `small_two_publications`: tests/e2e/conftest.py), the
third is this module's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frictionless
import pytest

from pipelines.publishing.latest import latest_problems
from pipelines.runs import fingerprint
from tests.e2e.test_nightly_job import run


def catalog(work: Path) -> dict:
    return json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]


def assert_valid(path: Path) -> None:
    report = frictionless.validate(str(path))  # the package, every row against its schema, the primary key
    assert report.valid, (path, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10])


def assert_latest_is_current(work: Path) -> None:
    publish = work / "published"
    marts = catalog(work)
    assert marts
    for mart, entry in marts.items():
        assert (publish / "latest" / f"{mart}.csv").read_bytes() == (publish / entry["csv"]).read_bytes(), mart
        assert (publish / "latest" / f"{mart}.parquet").read_bytes() == (publish / entry["parquet"]).read_bytes(), mart
    root = json.loads((publish / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"]: r["path"] for r in root["resources"]} == {m: e["csv"] for m, e in marts.items()}
    assert latest_problems(publish) == []
    assert not list((publish / "latest").glob(".*"))


@pytest.fixture
def first(small_run) -> Path:
    """One good run on the small data (tests/e2e/conftest.py, shared: read only, copy to change)."""
    return small_run


@pytest.fixture
def second(small_two_publications) -> Path:
    """A copy of the first run's directories with a newer delivery (it restates 2003 and adds 2004), run
    again (tests/e2e/conftest.py, shared: read only, copy to change)."""
    return small_two_publications


def test_every_version_and_the_current_versions_have_a_valid_data_package(first):
    publish = first / "published"
    for mart, entry in catalog(first).items():
        folder = publish / mart / entry["version"]
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
        assert "datapackage.json" in metadata["files"]
        assert metadata["title_nl"] and metadata["description_nl"] and metadata["license"]["name"] == "CC-BY-4.0"
        # Every column the mart really has is described in Dutch (the yml covers the SQL's columns).
        assert [c["name"] for c in metadata["columns"] if not (c["label"] and c["description_nl"])] == [], mart
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        (resource,) = package["resources"]
        assert resource["schema"]["primaryKey"] == metadata["grain"]
        assert [f["title"] for f in resource["schema"]["fields"]] == [c["label"] for c in metadata["columns"]]
        assert package["created"] == f"{metadata['as_of']}T00:00:00Z" and package["version"] == entry["version"]
        assert_valid(folder / "datapackage.json")
    assert_valid(publish / "datapackage.json")
    assert_latest_is_current(first)
    index = (publish / "site" / "index.html").read_text(encoding="utf-8")
    for mart in catalog(first):
        assert f'href="../latest/{mart}.csv"' in index


def test_latest_follows_a_newer_delivery(first, second):
    before, after = catalog(first), catalog(second)
    assert after["sector_growth"]["version"] != before["sector_growth"]["version"]
    assert_latest_is_current(second)
    assert_valid(second / "published" / "datapackage.json")
    assert (second / "published" / "datapackage.json").read_bytes() != \
        (first / "published" / "datapackage.json").read_bytes()


def test_a_damaged_latest_file_is_not_nothing_changed(second, tmp_path):
    """The no-change fingerprint sees latest/ (so the next run repairs it); a sound latest/ changes nothing."""
    work = tmp_path / "second"
    shutil.copytree(second, work)  # the shared run stays as built (copy2 keeps the warehouse's mtime)
    publish, warehouse = work / "published", work / "state" / "warehouse.duckdb"
    sound = fingerprint.state(publish, warehouse)["publication"]
    target = publish / "latest" / "gender_shares.csv"
    kept = target.read_bytes()
    try:
        target.write_bytes(kept + b"x\n")
        assert fingerprint.state(publish, warehouse)["publication"] != sound
        target.unlink()
        assert fingerprint.state(publish, warehouse)["publication"] != sound
    finally:
        target.write_bytes(kept)
    assert fingerprint.state(publish, warehouse)["publication"] == sound


def test_a_run_that_only_re_points_the_catalog_moves_latest_and_repairs_it(first, second, tmp_path):
    work = tmp_path / "third"
    shutil.copytree(second, work)
    publish = work / "published"
    (publish / "latest" / "participation_counts.csv").unlink()  # deleted by hand
    (publish / "latest" / "gender_shares.parquet").write_bytes(b"not parquet")  # edited by hand
    # As of the first run's date the data equals the first run's: the catalog goes back to those versions.
    as_of = catalog(first)["sector_growth"]["as_of"]
    assert run(work / "raw", work, "--as-of", as_of) == 0
    assert {m: e["version"] for m, e in catalog(work).items()} == {m: e["version"] for m, e in catalog(first).items()}
    assert_latest_is_current(work)
    assert (publish / "datapackage.json").read_bytes() == (first / "published" / "datapackage.json").read_bytes()
    assert_valid(publish / "datapackage.json")
