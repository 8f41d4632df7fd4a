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


SUPPRESSIBLE = ("value", "value_low", "value_high", "n_masked_cells", "baseline_value", "index", "growth_pct")


def _primary(cur: dict, base: dict | None, baseline_applies: bool = True) -> tuple[str, str, str]:
    """The primary rule of macro with_disclosure_control: (outcome, the rule with this figure's numbers,
    the rule without them). A suppressed figure is shown with the second: the trace does not reveal it.
    `baseline_applies` false: the series has no baseline year at all (regional_growth: its values are
    published without index), so only the value is tested."""
    minimum = Decimal(str(dbt_vars()["min_publishable_count"]))
    base_value = Decimal(0) if base is None else base["value"]  # no baseline cells: a baseline of 0 persons
    if not baseline_applies:
        if cur["value"] < minimum:
            return ("primary", f"no baseline year in the series; value {cur['value']} < {minimum}: primary suppression",
                    f"no baseline year in the series; value < {minimum}: primary suppression")
        return ("", f"no baseline year in the series; value {cur['value']} is at least {minimum}",
                f"no baseline year in the series; value is at least {minimum}")
    if base_value < minimum:
        return ("primary", f"baseline_value {base_value} < {minimum}: primary suppression of the whole series",
                f"baseline_value < {minimum}: primary suppression of the whole series")
    if cur["value"] < minimum:
        return ("primary", f"value {cur['value']} < {minimum}: primary suppression",
                f"value < {minimum}: primary suppression")
    return ("", f"value {cur['value']} and baseline {base_value} are at least {minimum}",
            f"value and baseline_value are at least {minimum}")


def _disclosure(trace, row, cur: dict, base: dict | None, index, growth, expected: str, rule: str,
                withheld: str, year: int, baseline_year: int | None) -> None:
    """Compare the published suppression with the rule's outcome. A published figure is compared column
    by column; a suppressed one (`c`) must be published empty and is not shown here either: the trace
    says it is suppressed and why, and keeps its value, index and growth out of every step."""
    actual = row["suppression_reason"].split(":")[0]
    if actual != expected:
        trace.mismatches.append(f"suppression: published {actual or 'none'}, the rule gives {expected or 'none'}")
    if row["suppression"] != "c":
        trace.members["disclosure_rule"] = rule
        trace.steps.append({"step": "disclosure control", "detail": rule})
        _compare_growth(trace, row, cur, base, index, growth)
        return
    n_cur = len([c for c in trace.cells if c["role"] == "figure year"])
    n_base = len(trace.cells) - n_cur
    trace.members["disclosure_rule"] = withheld
    trace.steps = [
        {"step": "value", "detail": f"suppressed (c): the sum of the {n_cur} raw cells of {year}"
                                    + (f" and of the {n_base} of {baseline_year}" if n_base else "")
                                    + " went through the disclosure rule; the figure is not shown"},
        {"step": "disclosure control", "detail": f"{withheld} (published: {row['suppression_reason']})"},
    ]
    trace.recomputed.update({**{name: "" for name in SUPPRESSIBLE}, "suppression": "c"})
    for name in SUPPRESSIBLE:
        if row.get(name, "") != "":
            trace.mismatches.append(f"{name}: suppressed but published as {row[name]}")


def recompute_institution(trace, row, per_year, year, baseline_year, baseline_applies: bool = True):
    cur, base = sums(per_year.get(year, [])), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    expected, rule, withheld = _primary(cur, base, baseline_applies)
    if not expected:
        expected = "secondary" if row["suppression"] == "c" else ""
        secondary = "suppressed to protect the only other suppressed figure of the sector, measure and year"
        rule, withheld = f"{rule}; {secondary if expected else 'published'}", f"{withheld}; {secondary}"
    _disclosure(trace, row, cur, base, index, growth, expected, rule, withheld, year, baseline_year)


def recompute_regional(trace, row, per_year, year, baseline_year):
    """A province of a part sector: institution_growth's disclosure rule, per province. A province of an
    aggregate sector (ho = hbo + wo): suppressed as soon as one of its parts is (trace.members['parts']:
    the parts' rows of the same publication); each part's primary rule is checked on its own cells. A
    sector whose series has no baseline year at all (trace.members['baseline']) publishes values without
    index: no baseline rule."""
    parts = trace.members.get("parts")
    applies = "baseline" not in trace.members
    if not parts:
        recompute_institution(trace, row, per_year, year, baseline_year, applies)
        return
    cur, base = sums(per_year.get(year, [])), _baseline_sums(per_year, year, baseline_year)
    index, growth = _growth_steps(trace, cur, base, year, baseline_year)
    for part, status in parts.items():
        if status == "no figure":
            continue
        own = {y: [c for c in cells if c["sector"] == part] for y, cells in per_year.items()}  # cell sector
        own = {y: cells for y, cells in own.items() if cells}
        if _primary(sums(own.get(year, [])), _baseline_sums(own, year, baseline_year), applies)[0] \
                and not status.startswith("suppressed"):
            trace.mismatches.append(f"its part {part}: the primary rule suppresses it, published as {status}")
    suppressed = [p for p, status in parts.items() if status.startswith("suppressed")]
    expected = "secondary" if suppressed else ""
    head = f"an aggregate sector ({' + '.join(parts)}) is suppressed as soon as one of its parts is"
    rule = withheld = f"{head}: its part {', '.join(suppressed)} is suppressed" if suppressed else f"{head}: none is"
    if suppressed and row["suppression_reason"] != f"secondary: its part {', '.join(suppressed)} is suppressed":
        trace.mismatches.append(f"suppression_reason: published {row['suppression_reason']!r}, "
                                f"the parts give 'secondary: its part {', '.join(suppressed)} is suppressed'")
    _disclosure(trace, row, cur, base, index, growth, expected, rule, withheld, year, baseline_year)


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
             "program_growth": recompute_growth, "gender_shares": recompute_share,
             "regional_growth": recompute_regional}
