"""Cross-row facts about a mart, as columns, so a GX suite can check them row by row.

GX's built-in expectations are per column or column pair; "the series has its baseline row" or
"ho = hbo + wo" span rows. The marts are small (hundreds to thousands of rows), so pandas is the
right tool here. Each mart's suite in `expectations/` names the `_` columns added for it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from pipelines.dbt_settings import sector_parts

# Aggregate sectors and the sectors they are the sum of (read from the dbt seed sector_aggregates).
SUM_OF_PARTS = sector_parts()


def round_half_away(x: Decimal, places: str = "0.1") -> Decimal:
    """Half away from zero (ROUND_HALF_UP in `decimal` rounds magnitudes, so it is symmetric)."""
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def ratio_1dp(part, whole, minus: int = 0) -> float | None:
    """100 x part / whole (minus `minus`), one decimal, half away from zero; None where undefined."""
    if pd.isna(part) or pd.isna(whole) or Decimal(str(whole)) == 0:
        return None
    return float(round_half_away(Decimal(100) * Decimal(str(part)) / Decimal(str(whole))) - minus)


def _as_float(series: pd.Series) -> pd.Series:
    return series.map(lambda x: None if pd.isna(x) else float(x)).astype("Float64")


def add_index_checks(df: pd.DataFrame, value: str = "value", baseline: str = "baseline_value") -> pd.DataFrame:
    """`_index_recomputed` / `_growth_recomputed`: the published index and growth, recomputed."""
    df = df.copy()
    df["_index_recomputed"] = _as_float(pd.Series([ratio_1dp(v, b) for v, b in zip(df[value], df[baseline])],
                                                  index=df.index, dtype=object))
    df["_growth_recomputed"] = _as_float(pd.Series([ratio_1dp(v, b, minus=100) for v, b in zip(df[value], df[baseline])],
                                                   index=df.index, dtype=object))
    for col in ("index", "growth_pct"):
        df[col] = _as_float(df[col])
    return df


FIGURE_KEYS = ("sector", "measure", "year")
AUDIT_ROUND_KEYS = ("program", "audit_year")
# The mart columns each function below reads (the gate reads no others than these and its suite's).
INDEX_READS = ("value", "baseline_value", "index", "growth_pct")
SECTOR_GROWTH_READS = (*INDEX_READS, *FIGURE_KEYS, "baseline_year", "value_low", "value_high")
GENDER_SHARE_READS = (*FIGURE_KEYS, "numerator", "denominator", "share_pct")
INSTITUTION_GROWTH_READS = (*INDEX_READS, *FIGURE_KEYS, "suppression")
REGIONAL_GROWTH_READS = (*INSTITUTION_GROWTH_READS, "provincie", "baseline_year")
AUDIT_OUTCOME_READS = (*AUDIT_ROUND_KEYS, "n_judged", "n_positief", "n_twijfel", "n_negatief")
# add_program_quarantine: the program (or its school group) and the sector, where the mart has them
PROGRAM_QUARANTINE_READS = ("program", "school_group", "sector")


def add_quarantine_counts(df: pd.DataFrame, quarantined: pd.DataFrame, keys: tuple[str, ...] = FIGURE_KEYS,
                          column: str = "_quarantined_cells") -> pd.DataFrame:
    """`column`: quarantined input in the deliveries/workbooks this row's figure uses.

    `quarantined` has the `keys` columns and n_quarantined (intermediate.int_quarantine_by_year, or
    int_audit_quarantine_by_round for the audit marts).
    """
    df = df.copy()
    q = quarantined.groupby(list(keys))["n_quarantined"].sum()
    if len(keys) == 1:  # one key: the groupby index holds plain values, not tuples
        q.index = [(k,) for k in q.index]
    df[column] = [int(q.get(key, 0)) for key in zip(*(df[k] for k in keys))]
    return df


def add_program_quarantine(df: pd.DataFrame, quarantined: pd.DataFrame | None) -> pd.DataFrame:
    """`_quarantined_program_rows`: program rows quarantined for an unknown institution (issue 17) that
    this row's program (and sector) would count. `quarantined` has `program` (and `sector`) and
    n_quarantined (intermediate.int_program_quarantine). A mart without a `program` column names its
    program groups in `school_group` (`<PROGRAM> participants`, `ANY participants`, `all schools`)."""
    df = df.copy()
    if quarantined is None:
        quarantined = pd.DataFrame(columns=["program", "n_quarantined"])
    keys = tuple(c for c in quarantined.columns if c != "n_quarantined")
    program = df["program"] if "program" in df else df["school_group"].str.removesuffix(" participants")
    frame = pd.DataFrame({"program": program, **{k: df[k] for k in keys if k != "program"}})
    df["_quarantined_program_rows"] = add_quarantine_counts(frame, quarantined, keys, "_n")["_n"].to_numpy()
    return df


def add_sector_growth_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    df = add_quarantine_counts(add_index_checks(mart), quarantined)
    series = df.groupby(["sector", "measure"])["year"]
    with_baseline = set(df.loc[df["year"] == df["baseline_year"], ["sector", "measure"]].itertuples(index=False, name=None))
    df["_series_has_baseline_row"] = [key in with_baseline for key in zip(df["sector"], df["measure"])]
    indexed = df[["baseline_value", "index", "growth_pct"]].notna()
    df["_indexed_iff_baseline_row"] = (df["_series_has_baseline_row"] & indexed.all(axis=1)) | (
        ~df["_series_has_baseline_row"] & ~indexed.any(axis=1))
    df["_series_years_contiguous"] = (series.transform("max") - series.transform("min") + 1) == series.transform("count")

    sums = df.set_index(["sector", "measure", "year"])[["value", "value_low", "value_high"]]
    ok = []
    for row in df.itertuples(index=False):
        parts = SUM_OF_PARTS.get(row.sector)
        if not parts:
            ok.append(True)
            continue
        keys = [(p, row.measure, row.year) for p in parts]
        present = [k for k in keys if k in sums.index]
        total = sums.loc[present].sum() if present else pd.Series({"value": 0, "value_low": 0, "value_high": 0})
        ok.append(all(Decimal(str(total[c])) == Decimal(str(getattr(row, c))) for c in ("value", "value_low", "value_high")))
    df["_sum_of_parts_matches"] = ok
    return df


def add_program_growth_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    return add_quarantine_counts(add_index_checks(mart), quarantined)


def add_gender_share_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    df = add_quarantine_counts(mart, quarantined)
    df["_share_recomputed"] = _as_float(pd.Series(
        [ratio_1dp(n, d) for n, d in zip(df["numerator"], df["denominator"])], index=df.index, dtype=object))
    df["share_pct"] = _as_float(df["share_pct"])
    return df


def add_suppression_checks(df: pd.DataFrame, min_count: int, baseline_required: pd.Series | None = None) -> pd.DataFrame:
    """`_suppression_consistent`: a suppressed figure is empty, a published one rests on at least
    `min_count` persons, in its year and (where `baseline_required`, default every row) in the baseline
    year; `_lone_suppression`: the one suppressed figure of its sector, measure and year beside published
    ones (the sector total minus the others would reveal it)."""
    suppressed = df["suppression"] == "c"
    required = pd.Series(True, index=df.index) if baseline_required is None else baseline_required
    df["_suppression_consistent"] = [
        (s and pd.isna(v) and pd.isna(g)) or (not s and pd.notna(v) and v >= min_count
                                               and (b >= min_count if r else pd.isna(b)))
        for s, v, b, g, r in zip(suppressed, df["value"], df["baseline_value"], df["growth_pct"], required)]
    n_suppressed = suppressed.groupby([df["sector"], df["measure"], df["year"]]).transform("sum")
    n_rows = suppressed.groupby([df["sector"], df["measure"], df["year"]]).transform("count")
    df["_lone_suppression"] = (n_suppressed == 1) & (n_rows > 1)
    return df


def add_institution_growth_checks(mart: pd.DataFrame, quarantined: pd.DataFrame, min_count: int) -> pd.DataFrame:
    return add_suppression_checks(add_quarantine_counts(add_index_checks(mart), quarantined), min_count)


def add_regional_growth_checks(mart: pd.DataFrame, quarantined: pd.DataFrame, min_count: int) -> pd.DataFrame:
    """As institution_growth (a series without a row in its baseline year publishes without baseline),
    and `_parts_published`: an aggregate sector's province figure (ho) is published only where each of
    its parts (hbo, wo) is, or ho - hbo would reveal a suppressed wo."""
    df = add_quarantine_counts(add_index_checks(mart), quarantined)
    with_baseline = set(df.loc[df["year"] == df["baseline_year"], ["sector", "measure"]].itertuples(index=False, name=None))
    df = add_suppression_checks(df, min_count, pd.Series([k in with_baseline for k in zip(df["sector"], df["measure"])],
                                                         index=df.index))
    suppressed = set(df.loc[df["suppression"] == "c", ["sector", "measure", "provincie", "year"]]
                     .itertuples(index=False, name=None))
    df["_parts_published"] = [
        s == "c" or not any((part, m, p, y) in suppressed for part in SUM_OF_PARTS.get(sector, ()))
        for sector, m, p, y, s in zip(df["sector"], df["measure"], df["provincie"], df["year"], df["suppression"])]
    return df


def add_total_checks(df: pd.DataFrame, totals: pd.DataFrame) -> pd.DataFrame:
    """`_adds_up_to_total`: the rows of each sector, measure and year add up to the figure they split
    (`totals`: FIGURE_KEYS and `total`, e.g. sector_growth's value): exactly where none is suppressed,
    to at most the total where some are (the suppressed ones hold the rest)."""
    df = df.copy()
    total_of = {tuple(key): Decimal(str(t)) for *key, t in totals[[*FIGURE_KEYS, "total"]].itertuples(index=False, name=None)}
    keys = list(zip(*(df[k] for k in FIGURE_KEYS)))
    published: dict[tuple, Decimal] = {}
    any_suppressed: dict[tuple, bool] = {}
    for key, value, symbol in zip(keys, df["value"], df["suppression"]):
        published[key] = published.get(key, Decimal(0)) + (Decimal(0) if pd.isna(value) else Decimal(str(value)))
        any_suppressed[key] = any_suppressed.get(key, False) or symbol == "c"
    df["_adds_up_to_total"] = [
        key in total_of and (published[key] <= total_of[key] if any_suppressed[key] else published[key] == total_of[key])
        for key in keys]
    return df


def add_audit_outcome_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    df = add_quarantine_counts(mart, quarantined, AUDIT_ROUND_KEYS, "_quarantined_rows")
    df["_judgements_add_up"] = df["n_judged"] == df["n_positief"] + df["n_twijfel"] + df["n_negatief"]
    return df


def add_audit_judgement_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    return add_quarantine_counts(mart, quarantined, AUDIT_ROUND_KEYS, "_quarantined_rows")
