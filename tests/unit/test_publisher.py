"""publish_mart: versioned, atomic, content-addressed publications and the catalog."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from pipelines.publishing.publisher import publish_mart, read_catalog
from pipelines.publishing.validation import stable_validation

AS_OF = "2008-03-17"
ROWS = [("wo", 2000, "1.5"), ("hbo", 2001, "3.0"), ("hbo", 2000, "2.5")]
EXPECTED_CSV = b"sector,year,value\nhbo,2000,2.5\nhbo,2001,3.0\nwo,2000,1.5\n"


def make_table(con, rows=ROWS, name="mart_rows"):
    con.execute(f"create or replace table {name} (sector varchar, year integer, value decimal(18, 1))")
    con.executemany(f"insert into {name} values (?, ?, ?)", [list(r) for r in rows])


def publish(con, publish_dir: Path, run_id="run-1", as_of=AS_OF, relation="mart_rows"):
    return publish_mart(con, mart="sector_growth", relation=relation, order_by=["sector", "year"],
                        publish_dir=publish_dir, as_of=as_of,
                        metadata={"as_of": as_of, "description": "test mart"},
                        validation={"success": True, "suite_name": "sector_growth"}, run_id=run_id)


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


def test_publication_writes_all_files_and_points_the_catalog_at_them(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    pub = publish(con, out)
    assert pub.newly_written and pub.mart == "sector_growth"
    data_csv = (pub.directory / "data.csv").read_bytes()
    assert data_csv == EXPECTED_CSV  # ordered by order_by, header included
    digest = hashlib.sha256(data_csv).hexdigest()
    assert pub.version == f"{AS_OF}_{digest[:12]}"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}_[0-9a-f]{12}", pub.version)
    assert pub.directory == out / "sector_growth" / pub.version
    assert sorted(p.name for p in pub.directory.iterdir()) == [
        "data.csv", "data.parquet", "datapackage.json", "metadata.json", "validation.json"]

    catalog = read_catalog(out)
    entry = catalog["marts"]["sector_growth"]
    assert entry["version"] == pub.version and entry["as_of"] == AS_OF and entry["history"] == [pub.version]
    assert entry["description"] == "test mart"
    # The catalog records the run that published each version and made the current one current.
    assert entry["published_by"] == {pub.version: entry["current_since"]}
    assert entry["current_since"]["run_id"] == "run-1"
    assert entry["current_since"] == {"run_id": "run-1"}  # no wall-clock time: the catalog is reproducible too
    for key in ("csv", "parquet", "metadata", "validation"):
        assert (out / entry[key]).is_file(), key
        assert entry[key].startswith(f"sector_growth/{pub.version}/")

    metadata = json.loads((pub.directory / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["version"] == pub.version and metadata["row_count"] == 3
    assert metadata["run"] == {"run_id": "run-1"} and metadata["as_of"] == AS_OF  # the contract's run id
    for name in ("data.csv", "data.parquet"):
        assert metadata["files"][name] == hashlib.sha256((pub.directory / name).read_bytes()).hexdigest()
    assert json.loads((pub.directory / "validation.json").read_text(encoding="utf-8")) == {
        "success": True, "suite_name": "sector_growth"}
    parquet = con.execute(f"select sector, year, cast(value as varchar) from read_parquet('{pub.directory / 'data.parquet'}')"
                          ).fetchall()
    assert parquet == [("hbo", 2000, "2.5"), ("hbo", 2001, "3.0"), ("wo", 2000, "1.5")]


def test_republishing_the_same_rows_keeps_the_version_and_the_bytes(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    first = publish(con, out, run_id="run-1")
    before = files_of(first.directory)
    mtimes = {p.name: p.stat().st_mtime_ns for p in first.directory.iterdir()}

    catalog_before = (out / "catalog.json").read_bytes()

    make_table(con, list(reversed(ROWS)))  # same rows, different insertion order
    second = publish(con, out, run_id="run-2")
    assert second.version == first.version
    assert not second.newly_written and not second.made_current
    assert files_of(second.directory) == before  # nothing rewritten
    assert (out / "catalog.json").read_bytes() == catalog_before  # still "made current by run-1"
    assert {p.name: p.stat().st_mtime_ns for p in second.directory.iterdir()} == mtimes
    assert read_catalog(out)["marts"]["sector_growth"]["history"] == [first.version]
    assert [p.name for p in (out / "sector_growth").iterdir()] == [first.version]


def test_publishing_into_a_fresh_directory_gives_a_byte_identical_version(con, tmp_path):
    """Same rows, metadata, as-of and run id (run ids are reproducible: orchestration/nightly.py)."""
    make_table(con)
    a = publish(con, tmp_path / "a", run_id="run-1")
    b = publish(con, tmp_path / "b", run_id="run-1")
    assert a.version == b.version
    assert files_of(a.directory) == files_of(b.directory)  # data, metadata.json, validation.json
    assert (tmp_path / "a" / "catalog.json").read_bytes() == (tmp_path / "b" / "catalog.json").read_bytes()


def test_a_version_published_before_runs_moved_to_the_catalog_keeps_its_run(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    old = publish(con, out, run_id="run-1")
    # As published before: metadata.json named the run, the catalog entry had no published_by.
    meta_path = old.directory / "metadata.json"
    meta_path.write_text(json.dumps({**json.loads(meta_path.read_text(encoding="utf-8")),
                                     "run": {"run_id": "old-run"}}), encoding="utf-8")
    catalog = read_catalog(out)
    for key in ("published_by", "current_since"):
        del catalog["marts"]["sector_growth"][key]
    (out / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")

    make_table(con, [*ROWS, ("ho", 2000, "4.0")])
    new = publish(con, out, run_id="run-2")
    entry = read_catalog(out)["marts"]["sector_growth"]
    assert entry["published_by"][old.version] == {"run_id": "old-run"}
    assert entry["published_by"][new.version]["run_id"] == "run-2" == entry["current_since"]["run_id"]


def test_validation_result_loses_its_run_dependent_times_and_ids():
    result = {"id": None, "success": True, "suite_name": "s", "statistics": {"evaluated_expectations": 1},
              "meta": {"validation_time": "2026-11-28T19:04:54.438490+00:00", "validation_id": "3a9c-uuid",
                       "checkpoint_id": None, "run_id": {"run_name": None, "run_time": "2026-11-28T19:04:54+00:00"},
                       "batch_markers": {"ge_load_time": "20261128T190454.157949Z", "pandas_data_fingerprint": "9037"},
                       "great_expectations_version": "1.24.1"},
              "results": [{"success": True, "result": {"observed_value": 3},
                           "expectation_config": {"id": "e7d9-uuid", "type": "expect_x", "kwargs": {"column": "c"}}}]}
    stable = stable_validation(result, AS_OF)
    assert stable == {"success": True, "suite_name": "s", "statistics": {"evaluated_expectations": 1},
                      "meta": {"validation_time": AS_OF, "run_id": {"run_name": None, "run_time": AS_OF},
                               "batch_markers": {"ge_load_time": AS_OF, "pandas_data_fingerprint": "9037"},
                               "great_expectations_version": "1.24.1",
                               "betamonitor_normalised": stable["meta"]["betamonitor_normalised"]},
                      "results": [{"success": True, "result": {"observed_value": 3},
                                   "expectation_config": {"type": "expect_x", "kwargs": {"column": "c"}}}]}
    assert result["meta"]["validation_id"] == "3a9c-uuid"  # the run's own result is left as it was


def test_different_rows_give_a_new_version_and_leave_the_old_one_untouched(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    old = publish(con, out, run_id="run-1")
    old_files = files_of(old.directory)

    make_table(con, [*ROWS, ("ho", 2000, "4.0")])
    new = publish(con, out, run_id="run-2")
    assert new.newly_written and new.version != old.version
    assert new.version.startswith(f"{AS_OF}_")
    assert files_of(old.directory) == old_files
    entry = read_catalog(out)["marts"]["sector_growth"]
    assert entry["version"] == new.version
    assert entry["csv"] == f"sector_growth/{new.version}/data.csv"
    assert entry["history"] == [old.version, new.version]
    assert (out / entry["csv"]).read_bytes().count(b"\n") == 5


def test_same_rows_with_another_as_of_reuse_the_existing_version(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    a = publish(con, out, as_of="2008-03-17")
    b = publish(con, out, as_of="2009-03-16")
    assert b.version == a.version and not b.newly_written
    entry = read_catalog(out)["marts"]["sector_growth"]
    assert entry["history"] == [a.version]
    assert entry["as_of"] == "2008-03-17"  # the catalog describes the version it points at
    assert sorted(p.name for p in (out / "sector_growth").iterdir()) == [a.version]


def test_going_back_to_an_earlier_version_repoints_the_catalog_without_duplicating_history(con, tmp_path):
    out = tmp_path / "published"
    make_table(con)
    first = publish(con, out, run_id="run-1")
    make_table(con, ROWS[:1])
    second = publish(con, out, run_id="run-2")
    make_table(con)
    third = publish(con, out, run_id="run-3")
    assert third.version == first.version and not third.newly_written
    entry = read_catalog(out)["marts"]["sector_growth"]
    assert entry["version"] == first.version and third.made_current
    assert entry["history"] == [second.version, first.version]
    # first published by run-1, made current again by run-3
    assert entry["published_by"][first.version]["run_id"] == "run-1"
    assert entry["published_by"][second.version]["run_id"] == "run-2"
    assert entry["current_since"]["run_id"] == "run-3"


def test_no_temporary_files_are_left_behind(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    publish(con, out, run_id="run-1")
    publish(con, out, run_id="run-2")  # the already-published path also cleans its staging folder
    make_table(con, ROWS[:2])
    publish(con, out, run_id="run-3")
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert leftovers == []
    assert sorted(p.name for p in out.iterdir()) == ["catalog.json", "sector_growth"]


def test_stale_staging_folder_of_a_crashed_run_is_replaced(con, tmp_path):
    make_table(con)
    out = tmp_path / "published"
    stale = out / "sector_growth" / ".tmp-run-1"
    stale.mkdir(parents=True)
    (stale / "data.csv").write_text("half-written")
    pub = publish(con, out, run_id="run-1")
    assert not stale.exists()
    assert (pub.directory / "data.csv").read_bytes() == EXPECTED_CSV


def test_connection_is_still_usable_after_publishing(con, tmp_path):
    make_table(con)
    publish(con, tmp_path / "published")
    assert con.sql("select count(*) from mart_rows").fetchall() == [(3,)]


def test_publish_dir_with_a_quote_in_its_name(con, tmp_path):
    make_table(con)
    pub = publish(con, tmp_path / "o'brien" / "published")
    assert (pub.directory / "data.csv").read_bytes() == EXPECTED_CSV
