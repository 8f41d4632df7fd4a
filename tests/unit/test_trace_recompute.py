"""The trace's recomputation of a regional_growth figure (pipelines/trace/recompute.py) from re-read cells:
disclosure control per province, an aggregate sector suppressed with its parts, and a suppressed figure
that the trace proves without showing it. The sample has no suppressed province, so these are here."""

from __future__ import annotations

from pipelines.trace.model import Trace
from pipelines.trace.recompute import RECOMPUTE
from pipelines.trace.render import render_text

BASELINE = 2000


def cell(role: str, sector: str, count: int | None, masked: bool = False, line: int = 1) -> dict:
    return {"role": role, "sector": sector, "is_masked": masked, "count_value": count, "delivery_file": "duo/x.csv",
            "line_number": line, "column_header": "MAN", "how_read": f"'{count}' = {count}", "instellingscode": "01AB",
            "cell_description": "", "provincie": "Drenthe", "province_source": "institution",
            "province_resolution": "reference/institutions.csv 01AB"}


def published(sector: str, value: str = "", baseline: str = "", index: str = "", growth: str = "",
              reason: str = "", **more) -> dict:
    row = {"sector": sector, "measure": "instroom", "provincie": "Drenthe", "provincie_code": "PV22", "year": "2007",
           "value": value, "value_low": value.split(".")[0], "value_high": value.split(".")[0],
           "n_masked_cells": "0" if value else "", "baseline_year": str(BASELINE), "baseline_value": baseline,
           "index": index, "growth_pct": growth, "suppression": "c" if reason else "", "suppression_reason": reason,
           "is_provisional": "false"}
    return {**row, **more}


def recompute(row: dict, cells: list[dict], parts: dict | None = None, extra: dict | None = None) -> Trace:
    trace = Trace(mart="regional_growth", keys={}, column="growth_pct", published_value=row["growth_pct"],
                  publication={"version": "v1", "run_id": "r", "as_of": "2009-03-16", "code_version": {},
                               "quality_gate": {}, "published_row": row})
    trace.members = {"provincie": "Drenthe", **({"parts": parts} if parts else {}), **(extra or {})}
    trace.cells = cells
    per_year: dict[int, list[dict]] = {}
    for c in cells:
        per_year.setdefault(2007 if c["role"] == "figure year" else BASELINE, []).append(c)
    RECOMPUTE["regional_growth"](trace, row, per_year, 2007, BASELINE)
    return trace


def test_a_published_province_is_recomputed_column_by_column():
    cells = [cell("figure year", "mbo", 30), cell("baseline year", "mbo", 20)]
    trace = recompute(published("mbo", "30.0", "20.0", "150.0", "50.0"), cells)
    assert trace.matches, trace.mismatches
    assert trace.recomputed["growth_pct"] == "50.0"
    assert "are at least 10; published" in trace.members["disclosure_rule"]


def test_a_suppressed_province_is_proved_without_showing_its_value():
    cells = [cell("figure year", "mbo", 7), cell("figure year", "mbo", 1, line=2), cell("baseline year", "mbo", 24)]
    row = published("mbo", reason="primary: rests on fewer than 10 persons")
    trace = recompute(row, cells)
    assert trace.matches, trace.mismatches
    assert trace.recomputed["suppression"] == "c" and trace.recomputed["growth_pct"] == ""
    assert trace.members["disclosure_rule"] == "value < 10: primary suppression"
    text = render_text(trace)
    assert "growth_pct = suppressed (c: primary: rests on fewer than 10 persons)" in text
    assert "its value is not shown" in text
    shown = "\n".join(s["detail"] for s in trace.steps) + str(trace.members) + str(trace.recomputed)
    for number in ("8", "24", "33.3", "-66.7"):  # value, baseline, index, growth
        assert number not in shown


def test_a_province_published_where_the_rule_suppresses_is_a_mismatch():
    cells = [cell("figure year", "mbo", 8), cell("baseline year", "mbo", 24)]
    trace = recompute(published("mbo", "8.0", "24.0", "33.3", "-66.7"), cells)
    assert trace.mismatches == ["suppression: published none, the rule gives primary"]


def test_an_aggregate_is_suppressed_with_its_part():
    """ho = hbo + wo: ho is large enough, but its wo part is suppressed (in the same publication), so ho
    is suppressed too (else ho - hbo reveals wo)."""
    cells = [cell("figure year", "hbo", 300), cell("figure year", "wo", 6),
             cell("baseline year", "hbo", 250), cell("baseline year", "wo", 12)]
    parts = {"hbo": "published", "wo": "suppressed (primary: rests on fewer than 10 persons)"}
    trace = recompute(published("ho", reason="secondary: its part wo is suppressed"), cells, parts)
    assert trace.matches, trace.mismatches
    assert trace.members["disclosure_rule"] == ("an aggregate sector (hbo + wo) is suppressed as soon as one of "
                                                "its parts is: its part wo is suppressed")
    assert "306" not in render_text(trace) and trace.recomputed["value"] == ""


def test_an_aggregate_published_while_its_part_is_suppressed_is_a_mismatch():
    cells = [cell("figure year", "hbo", 300), cell("figure year", "wo", 6),
             cell("baseline year", "hbo", 250), cell("baseline year", "wo", 12)]
    row = published("ho", "306.0", "262.0", "116.8", "16.8")
    # the wo row published although its own cells (6 persons) call for primary suppression
    trace = recompute(row, cells, {"hbo": "published", "wo": "published"})
    assert "its part wo: the primary rule suppresses it, published as published" in trace.mismatches
    trace = recompute(row, cells, {"hbo": "published", "wo": "suppressed (primary: rests on fewer than 10 persons)"})
    assert "suppression: published none, the rule gives secondary" in trace.mismatches


def test_an_aggregate_with_a_missing_part_counts_its_other_part():
    cells = [cell("figure year", "hbo", 30), cell("baseline year", "hbo", 20)]
    trace = recompute(published("ho", "30.0", "20.0", "150.0", "50.0"), cells, {"hbo": "published", "wo": "no figure"})
    assert trace.matches, trace.mismatches
    assert trace.members["disclosure_rule"].endswith("one of its parts is: none is")


def test_a_series_without_its_baseline_year_publishes_values_without_index():
    """As the mart: when the sector's series has no baseline year at all, a province's value is published
    without baseline_value, index and growth (no baseline rule); only a value below 10 is suppressed."""
    no_baseline = {"baseline": "the mbo instroom series has no data in 2000"}
    trace = recompute(published("mbo", "30.0"), [cell("figure year", "mbo", 30)])
    assert trace.mismatches == ["suppression: published none, the rule gives primary"]  # with a baseline year
    trace = recompute(published("mbo", "30.0"), [cell("figure year", "mbo", 30)], extra=no_baseline)
    assert trace.matches, trace.mismatches
    assert trace.recomputed["index"] == "" and trace.recomputed["value"] == "30.0"
    small = published("mbo", reason="primary: rests on fewer than 10 persons")
    trace = recompute(small, [cell("figure year", "mbo", 6)], extra=no_baseline)
    assert trace.matches, trace.mismatches
    assert trace.members["disclosure_rule"] == "no baseline year in the series; value < 10: primary suppression"
