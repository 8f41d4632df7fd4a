"""Derived gate columns (pipelines/quality/derived.py) and the sector_growth GX suite.

The mart frames are built through DuckDB with the column types of
dbt_project/models/marts/sector_growth.sql, so they reach pandas exactly as the gate reads them.
GX is slow to import: it runs twice in this module (one passing, one failing frame).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import duckdb
import pandas as pd
import pytest

from pipelines.paths import EXPECTATIONS_DIR
from pipelines.quality.derived import add_sector_growth_checks

MEASURES = ["instroom", "uitstroom", "instroom_excl_informatica", "uitstroom_excl_informatica"]
# hbo and wo per year: (value, value_low, value_high, n_masked_cells); ho is their sum.
PARTS = {
    "hbo": {2000: (100.0, 98, 104, 2), 2001: (110.5, 110, 111, 1), 2002: (120.0, 120, 120, 0)},
    "wo": {2000: (50.0, 50, 50, 0), 2001: (52.5, 51, 54, 1), 2002: (61.0, 61, 61, 0)},
}


def index_1dp(value: float, baseline: float) -> float | None:
    if baseline == 0:
        return None  # the mart's index is NULL on a zero baseline
    return float((Decimal(100) * Decimal(str(value)) / Decimal(str(baseline))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP))


def mart_rows(measures=MEASURES, years=(2000, 2001, 2002)) -> list[tuple]:
    rows = []
    for measure in measures:
        for year in years:
            for sector in ("hbo", "wo"):
                rows.append((sector, measure, year, *PARTS[sector][year]))
            hbo, wo = PARTS["hbo"][year], PARTS["wo"][year]
            rows.append(("ho", measure, year, *(a + b for a, b in zip(hbo, wo))))
    return rows


def mart_frame(rows: list[tuple]) -> pd.DataFrame:
    """Rows (sector, measure, year, value, low, high, n_masked) -> a mart frame as DuckDB hands it over."""
    baselines = {(s, m): v for s, m, y, v, *_ in rows if y == 2000}
    full = []
    for s, m, y, v, lo, hi, nm in rows:
        b = baselines.get((s, m), PARTS.get(s, {}).get(2000, (150.0,))[0])
        idx = index_1dp(v, b)
        full.append((s, m, y, v, lo, hi, nm, 2000, b, idx, None if idx is None else idx - 100, 15.0 if "excl" not in m else None,
                     2007 if "excl" not in m else None, y == 2002, "2008-03-17"))
    con = duckdb.connect()
    con.execute("""create table r (sector varchar, measure varchar, year integer, value double, value_low bigint,
        value_high bigint, n_masked_cells integer, baseline_year integer, baseline_value double, idx double,
        growth double, target_growth_pct double, target_year integer, is_provisional boolean,
        source_delivery varchar)""")
    con.executemany("insert into r values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [list(r) for r in full])
    frame = con.sql("""select sector, measure, year, cast(value as decimal(18, 1)) as value, value_low, value_high,
        n_masked_cells, baseline_year, cast(baseline_value as decimal(18, 1)) as baseline_value,
        cast(idx as decimal(18, 1)) as "index", cast(growth as decimal(18, 1)) as growth_pct,
        cast(target_growth_pct as decimal(5, 1)) as target_growth_pct, target_year, is_provisional,
        source_delivery from r order by sector, measure, year""").df()
    con.close()
    return frame


def no_quarantine() -> pd.DataFrame:
    return pd.DataFrame({"sector": pd.Series([], dtype="object"), "measure": pd.Series([], dtype="object"),
                         "year": pd.Series([], dtype="int32"), "n_quarantined": pd.Series([], dtype="int64")})


def quarantine(*rows) -> pd.DataFrame:
    """rows: (sector, measure, year, n) as intermediate.int_quarantine_by_year gives them."""
    return pd.DataFrame(rows, columns=["sector", "measure", "year", "n_quarantined"])


def at(df, sector, measure, year):
    hit = df[(df["sector"] == sector) & (df["measure"] == measure) & (df["year"] == year)]
    assert len(hit) == 1
    return hit.iloc[0]


def drop(frame, **where):
    mask = pd.Series(True, index=frame.index)
    for col, value in where.items():
        mask &= frame[col].isin(value if isinstance(value, (list, tuple)) else [value])
    return frame[~mask].reset_index(drop=True)


# --- derived columns (pandas only) ----------------------------------------------------------------
@pytest.fixture(scope="module")
def good_mart():
    return mart_frame(mart_rows())


def test_correct_mart_gets_all_checks_true(good_mart):
    out = add_sector_growth_checks(good_mart, no_quarantine())
    assert len(out) == 4 * 3 * 3
    assert (out["_index_recomputed"] == out["index"]).all()
    assert (out["_growth_recomputed"] == out["growth_pct"]).all()
    assert out["_series_has_baseline_row"].all()
    assert out["_series_years_contiguous"].all()
    assert out["_sum_of_parts_matches"].all()
    assert (out["_quarantined_cells"] == 0).all()
    assert at(out, "ho", "instroom", 2001)["_index_recomputed"] == 108.7  # 163 / 150
    assert list(good_mart.columns) == list(out.columns[:len(good_mart.columns)])  # input columns kept
    assert "_index_recomputed" not in good_mart.columns  # the input frame is not modified


def test_index_is_rounded_half_away_from_zero():
    frame = mart_frame([("hbo", "instroom", 2000, 200.0, 200, 200, 0), ("hbo", "instroom", 2001, 208.5, 208, 209, 1)])
    out = add_sector_growth_checks(frame, no_quarantine())
    row = at(out, "hbo", "instroom", 2001)
    assert round(104.25, 1) == 104.2  # what binary floating point would publish
    assert row["_index_recomputed"] == 104.3 and row["_growth_recomputed"] == 4.3


def test_wrong_index_is_visible_in_the_recomputed_column(good_mart):
    frame = good_mart.copy()
    i = at(frame, "hbo", "instroom", 2001).name
    frame.loc[i, "index"] = 110.6
    out = add_sector_growth_checks(frame, no_quarantine())
    mismatched = out[out["index"] != out["_index_recomputed"]]
    assert mismatched[["sector", "measure", "year"]].values.tolist() == [["hbo", "instroom", 2001]]
    assert mismatched.iloc[0]["_index_recomputed"] == 110.5


def test_zero_baseline_gives_no_recomputed_index():
    frame = mart_frame([("hbo", "instroom", 2000, 0.0, 0, 0, 0), ("hbo", "instroom", 2001, 5.0, 5, 5, 0)])
    out = add_sector_growth_checks(frame, no_quarantine())
    assert out["_index_recomputed"].isna().all() and out["_growth_recomputed"].isna().all()


def test_missing_baseline_row_flags_only_that_series(good_mart):
    frame = drop(good_mart, sector="wo", measure="uitstroom", year=2000)
    out = add_sector_growth_checks(frame, no_quarantine())
    flagged = out[~out["_series_has_baseline_row"]]
    assert set(zip(flagged["sector"], flagged["measure"])) == {("wo", "uitstroom")}
    assert len(flagged) == 2
    assert out["_series_years_contiguous"].all()  # 2001-2002 has no gap


def test_gap_year_flags_only_that_series(good_mart):
    frame = drop(good_mart, sector="hbo", measure="instroom", year=2001)
    out = add_sector_growth_checks(frame, no_quarantine())
    flagged = out[~out["_series_years_contiguous"]]
    assert flagged[["sector", "measure", "year"]].values.tolist() == [["hbo", "instroom", 2000],
                                                                      ["hbo", "instroom", 2002]]
    assert out["_series_has_baseline_row"].all()


@pytest.mark.parametrize("column, delta", [("value", 0.5), ("value_low", -1), ("value_high", 1)])
def test_ho_not_equal_to_hbo_plus_wo_is_flagged_in_each_of_value_low_high(good_mart, column, delta):
    frame = good_mart.copy()
    i = at(frame, "ho", "uitstroom", 2002).name
    frame.loc[i, column] = frame.loc[i, column] + delta
    out = add_sector_growth_checks(frame, no_quarantine())
    flagged = out[~out["_sum_of_parts_matches"]]
    assert flagged[["sector", "measure", "year"]].values.tolist() == [["ho", "uitstroom", 2002]]


def test_quarantined_cells_are_summed_onto_their_own_figures_only(good_mart):
    out = add_sector_growth_checks(good_mart, quarantine(("hbo", "instroom", 2002, 2), ("hbo", "instroom", 2002, 1),
                                                         ("ho", "uitstroom", 2000, 4)))
    flagged = out[out["_quarantined_cells"] > 0]
    got = sorted(zip(flagged["sector"], flagged["measure"], flagged["year"], flagged["_quarantined_cells"]))
    assert got == [("hbo", "instroom", 2002, 3), ("ho", "uitstroom", 2000, 4)]


# --- the GX suite (two runs in the whole module) ---------------------------------------------------
FAILING_MEASURE_OF = {
    "wrong index": "instroom",
    "gap year": "uitstroom",
    "missing baseline row": "instroom_excl_informatica",
    "ho != hbo + wo": "uitstroom_excl_informatica",
}


def failing_frame(good: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One defect per measure, so each failing expectation can be traced to its defect."""
    frame = good.copy()
    i = at(frame, "hbo", "instroom", 2001).name
    frame.loc[i, "index"] = 110.6  # growth_pct left consistent with the true index
    frame = drop(frame, measure="uitstroom", year=2001)  # gap in all three uitstroom series
    # baseline rows gone, baseline_value and index kept: a series without its baseline row must have
    # empty baseline_value, index and growth (contract 10.6), so only that fact is wrong
    frame = drop(frame, measure="instroom_excl_informatica", year=2000)
    j = at(frame, "ho", "uitstroom_excl_informatica", 2002).name
    frame.loc[j, "value_high"] += 1
    return frame, quarantine(("hbo", "instroom", 2002, 2))


@pytest.fixture(scope="module")
def gate_results(good_mart):
    from pipelines.quality.gx_gate import run_suite

    passing = run_suite("sector_growth", add_sector_growth_checks(good_mart, no_quarantine()))
    frame, q = failing_frame(good_mart)
    failing = run_suite("sector_growth", add_sector_growth_checks(frame, q))
    return passing, failing


def failed_by_column(result) -> dict[tuple[str, str], dict]:
    return {(f["type"], f["kwargs"].get("column") or f["kwargs"].get("column_A")): f for f in result.failed}


def test_correct_mart_passes_every_expectation(gate_results):
    passing, _ = gate_results
    n_expectations = len(json.loads((EXPECTATIONS_DIR / "sector_growth.json").read_text())["expectations"])
    assert passing.success, passing.describe()
    assert passing.failed == []
    assert passing.evaluated == n_expectations
    assert passing.describe().endswith(f"{n_expectations} expectations passed")


def test_each_defect_fails_its_own_expectation(gate_results):
    _, failing = gate_results
    assert not failing.success
    failed = failed_by_column(failing)
    assert set(failed) == {
        ("expect_column_pair_values_to_be_equal", "index"),
        ("expect_column_values_to_be_in_set", "_indexed_iff_baseline_row"),
        ("expect_column_values_to_be_in_set", "_series_years_contiguous"),
        ("expect_column_values_to_be_in_set", "_sum_of_parts_matches"),
        ("expect_column_values_to_be_between", "_quarantined_cells"),
    }, failing.describe()
    counts = {key[1]: f["unexpected_count"] for key, f in failed.items()}
    assert counts == {
        "index": 1,                      # hbo instroom 2001
        "_indexed_iff_baseline_row": 6,  # 3 sectors x 2 remaining years of instroom_excl_informatica
        "_series_years_contiguous": 6,   # 3 sectors x 2 remaining years of uitstroom
        "_sum_of_parts_matches": 1,      # ho uitstroom_excl_informatica 2002
        "_quarantined_cells": 1,         # hbo instroom 2002
    }
    assert failed[("expect_column_values_to_be_between", "_quarantined_cells")]["why"].startswith(
        "a figure whose winning delivery has quarantined cells")


def test_failed_gate_is_described_by_expectation_and_column(gate_results):
    _, failing = gate_results
    text = failing.describe()
    assert text.startswith("gate sector_growth: 5 of ")
    assert "expect_column_pair_values_to_be_equal(index) unexpected=1" in text
    summary = failing.summary()
    assert summary["success"] is False and len(summary["failed_expectations"]) == 5
    json.dumps(failing.result)  # the stored validation result must be JSON-serialisable


def test_series_without_baseline_row_passes_with_empty_index(good_mart):
    """Contract 10.6: values published, baseline_value / index / growth_pct empty."""
    from pipelines.quality.gx_gate import run_suite

    frame = drop(good_mart.copy(), measure="instroom_excl_informatica", year=2000)
    rows = frame["measure"] == "instroom_excl_informatica"
    frame.loc[rows, ["baseline_value", "index", "growth_pct"]] = None
    result = run_suite("sector_growth", add_sector_growth_checks(frame, no_quarantine()))
    assert result.success, result.describe()



# --- issue 17: quarantined program rows hold back their program's figures only --------------------

def test_quarantined_program_rows_are_counted_onto_their_program_only():
    from pipelines.marts import MARTS
    from pipelines.quality.derived import add_program_quarantine

    counts = pd.DataFrame({"program": ["VTB", "VTB", "UNIVERSUM"], "year": [2006, 2007, 2007]})
    quarantined = pd.DataFrame({"program": ["VTB"], "n_quarantined": [50]})
    assert add_program_quarantine(counts, quarantined)["_quarantined_program_rows"].tolist() == [50, 50, 0]
    assert MARTS["participation_counts"].checked(counts, pd.DataFrame(), quarantined)[
        "_quarantined_program_rows"].tolist() == [50, 50, 0]

    by_sector = pd.DataFrame({"program": ["UNIVERSUM", "ANY", "UNIVERSUM", "ANY"],
                              "sector": ["havo", "havo", "vwo", "vwo"], "n_quarantined": [1, 1, 1, 1]})
    growth = pd.DataFrame({"program": ["UNIVERSUM", "ANY", "JET-NET", "HBO-SPRINT", "ANY"],
                           "sector": ["havo", "havo", "havo", "hbo", "hbo"]})
    assert add_program_quarantine(growth, by_sector)["_quarantined_program_rows"].tolist() == [1, 1, 0, 0, 0]
    shares = pd.DataFrame({"school_group": ["all schools", "UNIVERSUM participants", "ANY participants",
                                            "JET-NET participants"], "sector": ["vwo"] * 4})
    assert add_program_quarantine(shares, by_sector)["_quarantined_program_rows"].tolist() == [0, 1, 1, 0]
    assert add_program_quarantine(shares, by_sector.iloc[0:0])["_quarantined_program_rows"].tolist() == [0] * 4


def test_program_based_marts_check_quarantined_program_rows_in_their_suites():
    from pipelines.marts import MARTS

    program_based = {name for name, spec in MARTS.items() if spec.program_quarantine_query}
    assert program_based == {"participation_counts", "program_growth", "gender_shares"}
    for name in program_based:
        suite = json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))
        assert any(e["kwargs"].get("column") == "_quarantined_program_rows" and e["kwargs"]["max_value"] == 0
                   for e in suite["expectations"]), name
