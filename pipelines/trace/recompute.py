"""Recomputing a figure from its re-read raw cells with the published rules (masking, rounding,
disclosure control), and comparing every recomputed column with the published row."""

from __future__ import annotations

from decimal import Decimal

from pipelines.dbt_settings import dbt_vars
from pipelines.quality.derived import round_half_away
from pipelines.trace.model import Trace
from pipelines.trace.raw import masked


def sums(cells: list[dict]) -> dict:
    point = low = high = Decimal(0)
    n_masked = 0
    for c in cells:
        if c["is_masked"]:
            point, low, high, n_masked = point + masked("point"), low + masked("low"), high + masked("high"), n_masked + 1
        else:
            n = Decimal(c["count_value"] or 0)
            point, low, high = point + n, low + n, high + n
    # value is published with one decimal (masked cells make halves); the bounds are whole counts.
    return {"value": point.quantize(Decimal("0.1")), "value_low": int(low), "value_high": int(high),
            "n_masked_cells": n_masked}


def index_of(value: Decimal, baseline: Decimal) -> Decimal | None:
    return None if baseline == 0 else round_half_away(Decimal(100) * value / baseline)


def fmt(x) -> str:
    return "empty" if x is None else str(x)


def _compare(trace: Trace, row: dict, name: str, value) -> None:
    published = row.get(name, "")
    mine = "" if value is None else str(value)
    if name.startswith("n_") or name.endswith(("_low", "_high")):
        mine = "" if value is None else str(int(value))
    if published != mine:
        try:
            same = published != "" and mine != "" and Decimal(published) == Decimal(mine)
        except ArithmeticError:
            same = False
        if not same:
            trace.mismatches.append(f"{name}: published {published or 'empty'}, recomputed {mine or 'empty'}")
    trace.recomputed[name] = mine


def _growth_steps(trace: Trace, cur: dict, base: dict | None, year: int, baseline_year: int) -> tuple:
    value_step = {"step": "value", "detail": (
        f"value = sum of the {len([c for c in trace.cells if c['role'] == 'figure year'])} raw cells of {year} "
        f"(masked = {masked('point')}) = {cur['value']} (low {cur['value_low']}, high {cur['value_high']}, "
        f"{cur['n_masked_cells']} masked)")}
    if base is None:  # contract 10.6: the series has no data in its baseline year
        trace.steps = [value_step, {"step": "baseline_value", "detail": (
            f"the series has no data in the baseline year {baseline_year} (intermediate.int_series_without_baseline): "
            "baseline_value, index and growth_pct are empty")}]
        return None, None
    index = index_of(cur["value"], base["value"])
    growth = None if index is None else index - 100
    trace.steps = [
        value_step,
        {"step": "baseline_value", "detail": f"baseline_value = sum of the raw cells of {baseline_year} = {base['value']}"},
        {"step": "index", "detail": f"index = 100 x value / baseline_value = 100 x {cur['value']} / {base['value']} "
                                    f"= {fmt(index)} (1 decimal, half away from zero)"},
        {"step": "growth_pct", "detail": f"growth_pct = index - 100 = {fmt(index)} - 100 = {fmt(growth)}"},
    ]
    return index, growth


def _compare_growth(trace, row, cur: dict, base: dict, index, growth) -> None:
    for name in ("value", "value_low", "value_high", "n_masked_cells"):
        _compare(trace, row, name, cur[name])
    _compare(trace, row, "baseline_value", None if base is None else base["value"])
    _compare(trace, row, "index", index)
    _compare(trace, row, "growth_pct", growth)


def _baseline_sums(per_year: dict, year: int, baseline_year: int | None) -> dict | None:
    """The baseline year's sums; None when the series has no data in its baseline year (contract 10.6)."""
    key = year if baseline_year is None else baseline_year
    return sums(per_year[key]) if key in per_year else None


def recompute_growth(trace, row, per_year, year, baseline_year):
    cur, base = sums(per_year.get(year, [])), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    _compare_growth(trace, row, cur, base, index, growth)


def recompute_institution(trace, row, per_year, year, baseline_year):
    minimum = Decimal(str(dbt_vars()["min_publishable_count"]))
    cur, base = sums(per_year.get(year, [])), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    base_value = Decimal(0) if base is None else base["value"]  # no baseline cells: a baseline of 0 persons
    if base_value < minimum:
        expected = "primary"
        rule = f"baseline_value {base_value} < {minimum}: primary suppression of the whole series"
    elif cur["value"] < minimum:
        expected = "primary"
        rule = f"value {cur['value']} < {minimum}: primary suppression"
    else:
        expected = "secondary" if row["suppression"] == "c" else ""
        rule = (f"value {cur['value']} and baseline {base_value} are at least {minimum}; "
                + ("suppressed to protect the only other suppressed figure of the sector, measure and year"
                   if expected else "published"))
    trace.members["disclosure_rule"] = rule
    trace.steps.append({"step": "disclosure control", "detail": rule})
    actual = row["suppression_reason"].split(":")[0]
    if actual != expected:
        trace.mismatches.append(f"suppression: published {actual or 'none'}, the rule gives {expected or 'none'}")
    if row["suppression"] == "c":
        trace.recomputed.update({"value": str(cur["value"]), "index": fmt(index), "growth_pct": fmt(growth),
                                 "suppression": "c"})
        for name in ("value", "index", "growth_pct"):
            if row[name] != "":
                trace.mismatches.append(f"{name}: suppressed but published as {row[name]}")
        return
    _compare_growth(trace, row, cur, base, index, growth)


def recompute_share(trace, row, per_year, year, baseline_year):
    cells = per_year.get(year, [])
    if row["indicator"] == "share_n_profiel":
        rule = "numerator = pupils with an N-profiel (NT, NG, NT/NG); denominator = all leerjaar-4 pupils"
    else:
        rule = "numerator = women (VROUW); denominator = the whole counted population"
    part = sums([c for c in cells if c["in_numerator"]])  # which cells: int_figure_members.in_numerator
    whole = sums(cells)
    share = index_of(part["value"], whole["value"])
    trace.members["rule"] = trace.members.get("rule", "") + ("; " if trace.members.get("rule") else "") + rule
    trace.steps = [
        {"step": "numerator", "detail": f"numerator = {part['value']} ({rule})"},
        {"step": "denominator", "detail": f"denominator = sum of all {len(cells)} raw cells = {whole['value']}"},
        {"step": "share_pct", "detail": f"share_pct = 100 x {part['value']} / {whole['value']} = {fmt(share)} "
                                        "(1 decimal, half away from zero)"},
    ]
    _compare(trace, row, "numerator", part["value"])
    _compare(trace, row, "denominator", whole["value"])
    _compare(trace, row, "n_masked_cells", whole["n_masked_cells"])
    _compare(trace, row, "share_pct", share)


RECOMPUTE = {"sector_growth": recompute_growth, "institution_growth": recompute_institution,
             "program_growth": recompute_growth, "gender_shares": recompute_share}
