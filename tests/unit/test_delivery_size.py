"""Bounded input (issue 17, part 6): a delivery larger than the declared maximum, or far larger than
the largest earlier delivery of its dataset, is rejected from its size, before it is read.

No test writes a large file: big deliveries are sparse files (`os.truncate`), and the limits are made
tiny by replacing the var reader."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest import deliveries, guards
from pipelines.ingest.deliveries import ingest_dataset
from pipelines.ingest.errors import RejectedFile
from tests.unit._raw import put, w_file, w_row

DATASET = "ho_eerstejaars"
FIRST = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
SECOND = "duo/ho_eerstejaars/2009-03-16_eerstejaars_ho.csv"
GOOD = w_file(w_row(["10", "5", "12", "6"]), w_row(["1", "2", "3", "4"], opleidingscode="56861"))
MB = 1024 * 1024


def big_file(raw_dir: Path, relative: str, size: int) -> Path:
    """A sparse file of `size` bytes (no disk blocks written): only its size is ever looked at."""
    path = raw_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    os.truncate(path, size)
    return path


def many_rows(n: int) -> bytes:
    return w_file(*(w_row([str(i % 90 + 1), "2", "3", "4"], opleidingscode=f"5{i:04d}") for i in range(n)))


@pytest.fixture
def never_read(monkeypatch):
    """Fail the test if the ingest reads a delivery's contents."""
    def refuse(*args, **kwargs):
        raise AssertionError("the delivery was read")
    monkeypatch.setattr(deliveries.records, "stage", refuse)
    monkeypatch.setattr(deliveries, "land_cells", refuse)


def limits(monkeypatch, **changes) -> guards.DeliverySizeLimits:
    declared = guards.delivery_size_limits()
    changed = guards.DeliverySizeLimits(**{**declared.__dict__, **changes})
    monkeypatch.setattr(guards, "delivery_size_limits", lambda: changed)
    return changed


def only_rejection(report) -> RejectedFile:
    assert not report.new_deliveries, report.new_deliveries
    assert len(report.rejected) == 1, report.rejected
    return report.rejected[0]


def registered(con) -> list[str]:
    return [r[0] for r in con.execute("select delivery_file from landing.deliveries order by 1").fetchall()]


# --- the declaration ---------------------------------------------------------------------------------

def test_the_limits_are_declared_once_in_the_dbt_vars():
    v = dbt_vars()
    assert v["max_delivery_bytes"] == 50 * MB
    assert v["max_delivery_growth"] == 10
    assert guards.delivery_size_limits() == guards.DeliverySizeLimits(
        max_bytes=50 * MB, max_growth=10.0, growth_floor=v["delivery_growth_floor_bytes"])


def test_check_delivery_size_names_the_maximum_and_the_size():
    declared = guards.DeliverySizeLimits(max_bytes=50 * MB, max_growth=10, growth_floor=5 * MB)
    guards.check_delivery_size(50 * MB, "duo/x/f.csv", None, declared)  # at the maximum: fine
    with pytest.raises(RejectedFile) as exc:
        guards.check_delivery_size(200 * MB, "duo/x/f.csv", None, declared)
    reason = exc.value.reason
    assert "209,715,200 bytes (200.0 MB)" in reason and "52,428,800 bytes (50.0 MB)" in reason
    assert "max_delivery_bytes" in reason and "before reading" in reason
    assert str(exc.value).startswith("duo/x/f.csv: ")


def test_check_delivery_size_growth_rule():
    declared = guards.DeliverySizeLimits(max_bytes=50 * MB, max_growth=10, growth_floor=5 * MB)
    earlier = ("duo/x/old.csv", 1 * MB)
    guards.check_delivery_size(10 * MB, "duo/x/f.csv", earlier, declared)  # exactly 10x: fine
    guards.check_delivery_size(40 * MB, "duo/x/f.csv", None, declared)  # no earlier delivery: no growth rule
    guards.check_delivery_size(5 * MB, "duo/x/f.csv", ("duo/x/old.csv", 1000), declared)  # at the floor: fine
    with pytest.raises(RejectedFile) as exc:
        guards.check_delivery_size(10 * MB + 1, "duo/x/f.csv", earlier, declared)
    reason = exc.value.reason
    assert "10,485,761 bytes" in reason and "more than 10 times" in reason
    assert "duo/x/old.csv, 1,048,576 bytes (1.0 MB)" in reason and "max_delivery_growth" in reason


# --- in the ingest --------------------------------------------------------------------------------

def test_a_200_mb_delivery_is_rejected_before_it_is_read(con, raw_dir, never_read):
    big_file(raw_dir, FIRST, 200 * MB)
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-1"))
    assert rejected.path == FIRST
    assert "209,715,200 bytes" in rejected.reason and "declared maximum of 52,428,800 bytes" in rejected.reason
    assert registered(con) == []
    assert con.execute("select delivery_file, reason from landing.rejections").fetchall() == [(FIRST, rejected.reason)]


def test_a_tiny_declared_maximum_rejects_an_ordinary_delivery(con, raw_dir, monkeypatch):
    limits(monkeypatch, max_bytes=len(GOOD) - 1)
    put(raw_dir, FIRST, GOOD)
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-1"))
    assert f"{len(GOOD):,} bytes" in rejected.reason and f"maximum of {len(GOOD) - 1:,} bytes" in rejected.reason
    assert registered(con) == []
    limits(monkeypatch, max_bytes=len(GOOD))  # raised to the file's size (the documented remedy): it lands
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [FIRST] and not report.rejected
    assert con.execute("select size_bytes from landing.deliveries").fetchall() == [(len(GOOD),)]


def test_a_delivery_ten_times_the_largest_earlier_one_is_rejected(con, raw_dir, monkeypatch):
    limits(monkeypatch, growth_floor=0)
    put(raw_dir, FIRST, GOOD)
    assert ingest_dataset(con, raw_dir, DATASET, "run-1").new_deliveries == [FIRST]
    big_file(raw_dir, SECOND, 10 * len(GOOD) + 1)
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-2"))
    assert rejected.path == SECOND
    assert f"more than 10 times the largest earlier delivery of its dataset ({FIRST}, {len(GOOD):,} bytes" \
        in rejected.reason
    assert registered(con) == [FIRST]


def test_deliveries_landed_earlier_in_the_same_run_count(con, raw_dir, monkeypatch):
    limits(monkeypatch, growth_floor=0)
    put(raw_dir, FIRST, GOOD)
    big_file(raw_dir, SECOND, 11 * len(GOOD))
    report = ingest_dataset(con, raw_dir, DATASET, "run-1")
    assert report.new_deliveries == [FIRST]
    assert [r.path for r in report.rejected] == [SECOND]


def test_a_bigger_delivery_within_the_growth_limit_lands(con, raw_dir, monkeypatch):
    limits(monkeypatch, growth_floor=0)
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    bigger = many_rows(12)
    assert len(GOOD) < len(bigger) <= 10 * len(GOOD)
    put(raw_dir, SECOND, bigger)
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [SECOND] and not report.rejected


def test_small_files_never_trip_the_growth_rule(con, raw_dir):
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    bigger = many_rows(200)
    assert len(bigger) > 10 * len(GOOD) and len(bigger) < guards.delivery_size_limits().growth_floor
    put(raw_dir, SECOND, bigger)
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.new_deliveries == [SECOND] and not report.rejected


def test_the_growth_rule_is_per_dataset(con, raw_dir, monkeypatch):
    limits(monkeypatch, growth_floor=0)
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    big_file(raw_dir, "duo/ho_gediplomeerden/2009-03-16_gediplomeerden_ho.csv", 20 * len(GOOD))
    report = ingest_dataset(con, raw_dir, "ho_gediplomeerden", "run-1")
    assert not [r for r in report.rejected if "times the largest" in r.reason]  # no earlier delivery there


def test_a_known_delivery_is_compared_not_judged_by_size(con, raw_dir, monkeypatch):
    """A registered delivery is only hashed (streamed) to see it is unchanged: lowering the maximum later
    does not reject the deliveries already used."""
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    limits(monkeypatch, max_bytes=10)
    report = ingest_dataset(con, raw_dir, DATASET, "run-2")
    assert report.known_deliveries == [FIRST] and not report.rejected


def test_a_known_delivery_replaced_by_a_huge_file_is_refused_as_changed(con, raw_dir, monkeypatch):
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    big_file(raw_dir, FIRST, 60 * MB)  # hashed in chunks: memory stays bounded
    rejected = only_rejection(ingest_dataset(con, raw_dir, DATASET, "run-2"))
    assert "content changed since it was delivered" in rejected.reason


def test_a_delivery_registered_by_an_older_release_gives_its_size_from_raw(con, raw_dir, monkeypatch):
    put(raw_dir, FIRST, GOOD)
    ingest_dataset(con, raw_dir, DATASET, "run-1")
    con.execute("update landing.deliveries set size_bytes = null")
    assert guards.largest_delivery(con, raw_dir, DATASET) == (FIRST, len(GOOD))
    (raw_dir / FIRST).unlink()
    assert guards.largest_delivery(con, raw_dir, DATASET) is None  # size unknown: the rule cannot apply
    assert guards.largest_delivery(con, raw_dir, "ho_gediplomeerden") is None


def test_a_file_that_grows_after_its_size_was_checked_is_not_read_whole(raw_dir, tmp_path):
    path = put(raw_dir, FIRST, GOOD)
    assert deliveries.records.stage(path, FIRST, len(GOOD), tmp_path).size == len(GOOD)
    with pytest.raises(RejectedFile, match="grew past the declared maximum"):
        deliveries.records.stage(path, FIRST, len(GOOD) - 1, tmp_path)
