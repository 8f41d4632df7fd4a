"""The figure revision check (issue 17) on small DuckDB tables and a small published parquet."""

from __future__ import annotations

import json

import duckdb
import pytest

from orchestration.report import split_gate_summary
from pipelines.quality import figure_revisions as fr

OLD = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
NEW = "duo/ho_eerstejaars/2009-03-20_eerstejaars_ho.csv"
GRAIN = ["sector", "measure", "year"]
LIMITS = {"persons": {"max_relative": 0.10, "min_absolute": 50.0}, "percent": {"max_points": 10.0},
          "index": {"max_points": 10.0}}

# sector, measure, year, value, baseline_value, growth_pct (index = 100 + growth)
PUBLISHED = [
    ("hbo", "instroom", 2000, 17000.0, 17000.0, 0.0),
    ("hbo", "instroom", 2007, 16320.0, 17000.0, -4.0),
    ("wo", "instroom", 2007, 12056.0, 8800.0, 37.0),
    ("vmbo", "uitstroom", 2007, 120.0, 100.0, 20.0),
    ("mbo", "instroom", 2007, 2000.0, 2000.0, 0.0),
]


def mart_table(con, name: str, rows) -> None:
    con.execute(f"""create table {name} (sector varchar, measure varchar, year integer, value double,
                    value_low double, value_high double, baseline_value double, "index" double,
                    growth_pct double, target_growth_pct double)""")
    for s, m, y, v, b, g in rows:
        con.execute(f"insert into {name} values (?, ?, ?, ?, ?, ?, ?, ?, ?, null)", [s, m, y, v, v, v, b, 100 + g, g])


@pytest.fixture
def setup(tmp_path):
    """A warehouse with the mart to check, its members and decisions; a publish dir with one version."""
    con = duckdb.connect()
    for schema in ("marts", "intermediate", "landing"):
        con.execute(f"create schema {schema}")
    publish = tmp_path / "published"
    folder = publish / "sector_growth" / "v1"
    folder.mkdir(parents=True)
    mart_table(con, "published_rows", PUBLISHED)
    con.execute(f"copy published_rows to '{folder / 'data.parquet'}' (format parquet)")
    (folder / "metadata.json").write_text(json.dumps({"inputs": [
        {"kind": "delivery", "path": OLD}, {"kind": "reference", "path": "reference/x.csv"}]}), encoding="utf-8")
    (publish / "catalog.json").write_text(json.dumps({"marts": {"sector_growth": {
        "version": "v1", "parquet": "sector_growth/v1/data.parquet",
        "metadata": "sector_growth/v1/metadata.json"}}}), encoding="utf-8")
    con.execute("""create table intermediate.int_figure_members (mart varchar, sector varchar, measure varchar,
                   year integer, is_winner boolean, delivery_file varchar)""")
    con.execute("create table landing.deliveries (delivery_file varchar, sha256 varchar)")
    con.execute(f"insert into landing.deliveries values ('{OLD}', 'aaa'), ('{NEW}', 'bbb')")
    con.execute("""create table landing.delivery_decisions (delivery_file varchar, dataset varchar, sha256 varchar,
                   decision varchar, reason varchar, decided_by varchar, decided_at timestamp)""")
    return con, publish


def members(con, figures: dict) -> None:
    for (sector, measure, year), deliveries in figures.items():
        for d in deliveries:
            con.execute("insert into intermediate.int_figure_members values ('sector_growth', ?, ?, ?, true, ?)",
                        [sector, measure, year, d])
            con.execute("insert into intermediate.int_figure_members values ('sector_growth', ?, ?, ?, false, ?)",
                        [sector, measure, year, "duo/superseded.csv"])


def run_check(con, publish, rows) -> fr.FigureCheck:
    mart_table(con, "marts.sector_growth", rows)
    return fr.check(con, "sector_growth", GRAIN, publish, limits=LIMITS)


def by_key(result: fr.FigureCheck) -> dict:
    return {(*r["figure"].values(), r["column"]): r for r in result.rows}


def test_thresholds_are_declared_once_per_unit_and_columns_come_from_the_marts_yaml():
    limits = fr.thresholds()
    assert limits["persons"]["max_relative"] == 0.10 and limits["persons"]["min_absolute"] == 50
    assert limits["percent"]["max_points"] == 10
    columns = fr.compared_columns("sector_growth")
    assert columns["value"]["unit"] == "persons" and columns["growth_pct"]["unit"] == "percent"
    assert columns["index"]["unit"] == "index"  # "index (baseline year = 100)"
    assert "n_masked_cells" not in columns and "year" not in columns and "baseline_year" not in columns
    assert fr.compared_columns("gender_shares")["share_pct"]["unit"] == "percent"


def test_nothing_published_nothing_to_compare(tmp_path):
    con = duckdb.connect()
    con.execute("create schema marts")
    mart_table(con, "marts.sector_growth", PUBLISHED)
    result = fr.check(con, "sector_growth", GRAIN, tmp_path / "published", limits=LIMITS)
    assert result.version is None and result.rows == [] and result.blocking == []


def test_counts_block_beyond_relative_and_absolute_only(setup):
    con, publish = setup
    members(con, {("hbo", "instroom", 2007): [OLD, NEW], ("wo", "instroom", 2007): [NEW],
                  ("vmbo", "uitstroom", 2007): [NEW], ("mbo", "instroom", 2007): [NEW]})
    rows = [("hbo", "instroom", 2000, 17000.0, 17000.0, 0.0),
            ("hbo", "instroom", 2007, 18288.0, 17000.0, 7.6),   # +12.1%, +1968: blocks
            ("wo", "instroom", 2007, 12056.0, 8800.0, 37.0),    # unchanged
            ("vmbo", "uitstroom", 2007, 150.0, 100.0, 50.0),    # +25% but 30 persons: small count
            ("mbo", "instroom", 2007, 2150.0, 2000.0, 7.5)]     # +150 persons but 7.5%
    result = run_check(con, publish, rows)
    found = by_key(result)
    assert result.version == "v1"
    hbo = found[("hbo", "instroom", 2007, "value")]
    assert hbo["exceeds"] and hbo["blocks"] and hbo["published_value"] == 16320 and hbo["new_value"] == 18288
    assert hbo["new_deliveries"] == [NEW] and hbo["unaccepted"] == [NEW]  # OLD was published with v1
    assert found[("hbo", "instroom", 2007, "growth_pct")]["blocks"]  # 11.6 points, its counts moved
    assert not found[("vmbo", "uitstroom", 2007, "value")]["exceeds"]
    assert not found[("vmbo", "uitstroom", 2007, "growth_pct")]["exceeds"]  # 30 points on 30 persons
    assert not found[("mbo", "instroom", 2007, "value")]["exceeds"]
    assert ("wo", "instroom", 2007, "value") not in found
    assert result.blocking_deliveries == [NEW]
    assert result.blocking[0]["column"] in ("value", "value_low", "value_high")  # worst relative change first


def test_shares_move_in_points(setup):
    con, publish = setup
    members(con, {("wo", "instroom", 2007): [NEW]})
    # the same count, another baseline: growth 37 -> 50.7 (13.7 points; the baseline moved 800 persons)
    rows = [*PUBLISHED[:2], ("wo", "instroom", 2007, 12056.0, 8000.0, 50.7), *PUBLISHED[3:]]
    found = by_key(run_check(con, publish, rows))
    assert found[("wo", "instroom", 2007, "growth_pct")]["blocks"]
    assert found[("wo", "instroom", 2007, "growth_pct")]["change"] == pytest.approx(13.7)
    baseline = found[("wo", "instroom", 2007, "baseline_value")]  # -9.1%: within 10%, yet the growth moved
    assert not baseline["exceeds"] and baseline["relative_change"] == pytest.approx(-800 / 8800)


def test_small_share_moves_do_not_block(setup):
    con, publish = setup
    members(con, {("wo", "instroom", 2007): [NEW]})
    rows = [*PUBLISHED[:2], ("wo", "instroom", 2007, 12600.0, 8800.0, 43.2), *PUBLISHED[3:]]  # +4.5%, 6.2 points
    result = run_check(con, publish, rows)
    assert result.rows and not result.beyond and not result.blocking


def test_accepted_new_deliveries_release_and_old_ones_only_report(setup):
    con, publish = setup
    members(con, {("hbo", "instroom", 2007): [NEW], ("mbo", "instroom", 2007): [OLD]})
    con.execute(f"insert into landing.delivery_decisions values ('{NEW}', 'ho_eerstejaars', 'bbb', 'accepted', "
                "'DUO restated', 'engineer', '2026-01-01 10:00:00')")
    rows = [PUBLISHED[0], ("hbo", "instroom", 2007, 18288.0, 17000.0, 7.6), PUBLISHED[2], PUBLISHED[3],
            ("mbo", "instroom", 2007, 3000.0, 2000.0, 50.0)]  # +50%, but nothing new behind it (e.g. as-of)
    result = run_check(con, publish, rows)
    found = by_key(result)
    hbo = found[("hbo", "instroom", 2007, "value")]
    assert hbo["exceeds"] and not hbo["blocks"] and hbo["accepted_by"] == {NEW: "engineer"}
    mbo = found[("mbo", "instroom", 2007, "value")]
    assert mbo["exceeds"] and not mbo["blocks"] and mbo["new_deliveries"] == [] and "reported" in mbo["note"]
    assert not result.blocking
    assert [a["figure"] for a in fr.accepted_summary(result)][:1] == ["sector_growth hbo instroom 2007 value"]


def test_an_acceptance_of_other_bytes_does_not_count(setup):
    con, publish = setup
    members(con, {("hbo", "instroom", 2007): [NEW]})
    con.execute(f"insert into landing.delivery_decisions values ('{NEW}', 'ho_eerstejaars', 'other', 'accepted', "
                "'DUO restated', 'engineer', '2026-01-01 10:00:00')")
    rows = [PUBLISHED[0], ("hbo", "instroom", 2007, 18288.0, 17000.0, 7.6), *PUBLISHED[2:]]
    assert run_check(con, publish, rows).blocking


def test_summary_line_goes_through_the_revision_text_path_and_report_names_release(setup, tmp_path):
    con, publish = setup
    second = "duo/ho_eerstejaars/2009-03-21_eerstejaars_ho.csv"
    members(con, {("hbo", "instroom", 2007): [NEW, second], ("wo", "instroom", 2007): [NEW]})
    rows = [PUBLISHED[0], ("hbo", "instroom", 2007, 18288.0, 17000.0, 7.6),
            ("wo", "instroom", 2007, 13300.0, 8800.0, 51.1), *PUBLISHED[3:]]
    result = run_check(con, publish, rows)
    report = fr.write_report(tmp_path / "state" / "reports" / "run1" / fr.report_name("sector_growth"), result)
    line = fr.describe(result, report)
    assert "sector_growth hbo instroom 2007 value 16320 -> 18288 (+12.1%)" in line
    assert line.startswith(f"revision check: {NEW}, {second} (not accepted) move ")
    assert f"figures in {report}; compared with published version v1; accept or withdraw it" in line
    expectations, revisions, path = split_gate_summary(f"8 of 8 expectations passed; {line}; report {report}")
    assert expectations == "8 of 8 expectations passed" and revisions == [line] and path == str(report)
    # accepting `second` alone releases nothing; `NEW` alone releases the wo figures it is alone behind
    assert fr.released_by(tmp_path / "state", second) == []
    released = fr.released_by(tmp_path / "state", "raw/" + NEW)
    assert {(r["sector"], r["column"]) for r in released} >= {("wo", "value"), ("wo", "growth_pct")}
    assert not any(r["sector"] == "hbo" for r in released)


def test_a_column_new_since_the_published_version_is_not_compared(setup):
    con, publish = setup
    members(con, {("hbo", "instroom", 2007): [NEW]})
    mart_table(con, "marts.sector_growth", [PUBLISHED[0], ("hbo", "instroom", 2007, 18288.0, 17000.0, 7.6),
                                            *PUBLISHED[2:]])
    con.execute("alter table marts.sector_growth drop column value_low")
    result = fr.check(con, "sector_growth", GRAIN, publish, limits=LIMITS)
    assert result.blocking and {r["column"] for r in result.rows}.isdisjoint({"value_low"})


def test_restatements_one_per_night_are_compared_with_the_signed_off_version(setup):
    """Each night +3.9% on the night before passes against the current version; against the version the
    figures were last signed off in (the first publication here) the third night is +12.2% and blocks."""
    con, publish = setup
    catalog = json.loads((publish / "catalog.json").read_text(encoding="utf-8"))
    value, history = 16320.0, ["v1"]
    for night in (2, 3):  # two nights published, each +3.9% on the one before
        value = round(value * 1.039)
        folder = publish / "sector_growth" / f"v{night}"
        folder.mkdir()
        rows = [r if r[:3] != ("hbo", "instroom", 2007) else (*r[:3], value, r[4], r[5]) for r in PUBLISHED]
        mart_table(con, f"night{night}", rows)
        con.execute(f"copy night{night} to '{folder / 'data.parquet'}' (format parquet)")
        (folder / "metadata.json").write_text(json.dumps({"inputs": [
            {"kind": "delivery", "path": OLD}, {"kind": "delivery", "path": f"duo/ho_eerstejaars/night{night}.csv"}]}),
            encoding="utf-8")
        history.append(f"v{night}")
    catalog["marts"]["sector_growth"].update(version="v3", parquet="sector_growth/v3/data.parquet",
                                             metadata="sector_growth/v3/metadata.json", history=history)
    (publish / "catalog.json").write_text(json.dumps(catalog), encoding="utf-8")
    assert fr.reference_version(publish, "sector_growth")["version"] == "v1"
    members(con, {("hbo", "instroom", 2007): [NEW]})
    third = round(value * 1.039)  # 18,305: +3.9% on v3, +12.2% on v1
    result = run_check(con, publish, [r if r[:3] != ("hbo", "instroom", 2007) else (*r[:3], third, r[4], r[5])
                                      for r in PUBLISHED])
    against = {r["compared_with"]: r for r in result.rows if r["column"] == "value"
               and tuple(r["figure"].values()) == ("hbo", "instroom", 2007)}
    assert not against["v3"]["exceeds"]
    assert against["v1"]["blocks"] and against["v1"]["unaccepted"] == [NEW]
    # Once a version takes in an acceptance, it is where the figures were signed off.
    meta = json.loads((publish / "sector_growth" / "v3" / "metadata.json").read_text(encoding="utf-8"))
    meta["inputs"][1]["revision_accepted"] = {"decided_by": "analyst"}
    (publish / "sector_growth" / "v3" / "metadata.json").write_text(json.dumps(meta), encoding="utf-8")
    assert fr.reference_version(publish, "sector_growth")["version"] == "v3"
