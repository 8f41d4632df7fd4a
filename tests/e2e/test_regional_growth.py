"""End to end: regional_growth (issue 20) built by the real job on the shipped sample.

Reads the session's shared run of raw/ (`sample_run`, tests/e2e/conftest.py: read only, no run of its
own). The disclosure rules and the province precedence are dbt unit tests (regional_growth,
int_classified_cells, int_municipalities, int_municipality_names); ingest's spelling and quarantine
rules are unit tests (tests/unit/test_province_columns.py). What stays here is what the sample's real
files make of them: each province source used, Friesland and FRYSLÂN one province, the merged
municipality SNEEK in Fryslân, and the provinces adding up to sector_growth.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.ingest.geography import official_provinces
from tests.conftest import read_published


@pytest.fixture(scope="module")
def published(sample_run) -> Path:
    return sample_run / "published"


@pytest.fixture(scope="module")
def regional(published) -> list[dict]:
    _, rows = read_published(published, "regional_growth")
    return rows


@pytest.fixture(scope="module")
def warehouse(sample_run):
    with duckdb.connect(str(sample_run / "state" / "warehouse.duckdb"), read_only=True) as con:
        yield con


def schema_of(con, table: str) -> str:
    (schema,) = con.execute("select table_schema from information_schema.tables where table_name = ?",
                            [table]).fetchone()
    return schema


def test_regional_growth_is_published_with_a_latest_copy(published, regional):
    entry, _ = read_published(published, "regional_growth")
    latest = published / "latest" / "regional_growth.csv"
    assert latest.is_file() and (published / "latest" / "regional_growth.parquet").is_file()
    assert latest.read_bytes() == (published / entry["csv"]).read_bytes()
    assert regional, "regional_growth has no rows"
    with latest.open(encoding="utf-8", newline="") as fh:
        assert list(csv.DictReader(fh)) == regional


def test_sample_provinces_are_official_names_with_their_codes_and_none_unknown(regional):
    provinces = {r["provincie"] for r in regional}
    assert provinces <= set(official_provinces()), provinces - set(official_provinces())
    assert "Fryslân" in provinces and "onbekend" not in provinces
    codes = {(r["provincie"], r["provincie_code"]) for r in regional}
    assert ("Fryslân", "PV21") in codes and ("Utrecht", "PV26") in codes
    assert len({code for _, code in codes}) == len(provinces)  # one code per province


def test_each_sectors_provinces_add_up_to_sector_growth(published, regional):
    """No suppression on the sample, so every province figure is published and they add up exactly."""
    assert {r["suppression"] for r in regional} == {""}
    _, sectors = read_published(published, "sector_growth")
    summed: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in regional:
        summed[(r["sector"], r["measure"], int(r["year"]))] += Decimal(r["value"])
    expected = {(r["sector"], r["measure"], int(r["year"])): Decimal(r["value"]) for r in sectors if r["value"]}
    assert set(summed) == set(expected)
    assert {k: v for k, v in summed.items() if v != expected[k]} == {}
    # every sector of sector_growth is split, the aggregates included
    assert {k[0] for k in summed} >= {"hbo", "wo", "ho", "mbo", "havo", "vwo", "havo_vwo", "vmbo"}


def test_published_province_figures_have_index_and_growth(regional):
    for r in regional:
        assert r["index"] != "" and r["growth_pct"] != "", r
        assert Decimal(r["growth_pct"]) == Decimal(r["index"]) - 100
        if int(r["year"]) == int(r["baseline_year"]):
            assert r["index"] == "100.0"


def test_every_province_source_is_used_on_the_sample_and_none_is_unknown(warehouse):
    schema = schema_of(warehouse, "int_classified_cells")
    sources = dict(warehouse.execute(
        f"select province_source, count(*) from {schema}.int_classified_cells group by 1").fetchall())
    assert set(sources) == {"own column", "municipality", "institution"}, sources
    # which rows use which: HO's own PROVINCIE, vmbo's GEMEENTENAAM, mbo's institution
    by_dataset = set(warehouse.execute(
        f"select dataset, province_source from {schema}.int_classified_cells group by all").fetchall())
    assert ("ho_eerstejaars", "own column") in by_dataset
    assert ("vmbo_examenkandidaten", "municipality") in by_dataset
    assert ("mbo_gediplomeerden", "institution") in by_dataset


def test_merged_municipality_sneek_counts_in_fryslan_through_sudwest_fryslan(warehouse):
    schema = schema_of(warehouse, "int_classified_cells")
    rows = set(warehouse.execute(
        f"select gemeentenaam, provincie, province_source, province_resolution from {schema}.int_classified_cells "
        "where upper(gemeentenaam) = 'SNEEK' group by all").fetchall())
    assert rows == {("SNEEK", "Fryslân", "municipality", "GEMEENTENAAM SNEEK: 0091 Sneek -> 1900 Súdwest-Fryslân")}
    mschema = schema_of(warehouse, "int_municipalities")
    assert warehouse.execute(f"select current_gemeentenummer, provincie from {mschema}.int_municipalities "
                             "where gemeentenummer = '0091'").fetchall() == [("1900", "Fryslân")]


def test_friesland_and_fryslan_spellings_land_as_one_province(sample_run, warehouse):
    raw = sample_run / "raw" / "duo" / "ho_eerstejaars"
    assert b"\nFriesland;" in (raw / "2005-03-15_eerstejaars_ho.csv").read_bytes()  # W: cp1252
    assert '"FRYSLÂN"'.encode("utf-8") in (raw / "2006-03-15_eerstejaars_ho.csv").read_bytes()  # L: UTF-8
    by_layout = warehouse.execute(
        "select layout, list(distinct provincie order by provincie) from landing.ho_eerstejaars "
        "where gemeentenaam = 'LEEUWARDEN' group by layout order by layout").fetchall()
    assert by_layout == [("L", ["Fryslân"]), ("W", ["Fryslân"])]
    spellings = {p for (p,) in warehouse.execute(
        "select distinct provincie from landing.ho_eerstejaars where provincie is not null").fetchall()}
    assert spellings <= set(official_provinces()), spellings
    assert warehouse.execute("select count(*) from landing.ho_eerstejaars where quarantine_reason like "
                             "'%PROVINCIE is not one of the 12 provinces%'").fetchall() == [(0,)]
