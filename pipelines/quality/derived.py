"""Cross-row facts about a mart, as columns, so a GX suite can check them row by row.

GX's built-in expectations are per column or column pair; "the series has its baseline row" or
"ho = hbo + wo" span rows. The mart is small (hundreds of rows), so pandas is the right tool here.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

# Aggregate sectors and the sectors they are the sum of.
SUM_OF_PARTS = {"ho": ("hbo", "wo"), "havo_vwo": ("havo", "vwo")}


def round_half_away(x: Decimal, places: str = "0.1") -> Decimal:
    """Half away from zero (ROUND_HALF_UP in `decimal` rounds magnitudes, so it is symmetric)."""
    return x.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _index(value, baseline) -> Decimal | None:
    if pd.isna(value) or pd.isna(baseline) or Decimal(str(baseline)) == 0:
        return None
    return round_half_away(Decimal(100) * Decimal(str(value)) / Decimal(str(baseline)))


def add_sector_growth_checks(mart: pd.DataFrame, quarantined: pd.DataFrame) -> pd.DataFrame:
    """`quarantined`: columns measure_base (instroom/uitstroom), year, n_quarantined."""
    df = mart.copy()
    df["_index_recomputed"] = [_index(v, b) for v, b in zip(df["value"], df["baseline_value"])]
    df["_growth_recomputed"] = [None if i is None else i - 100 for i in df["_index_recomputed"]]
    for col in ("index", "growth_pct", "_index_recomputed", "_growth_recomputed"):
        df[col] = df[col].map(lambda x: None if pd.isna(x) else float(x)).astype("Float64")

    series = df.groupby(["sector", "measure"])["year"]
    with_baseline = set(df.loc[df["year"] == df["baseline_year"], ["sector", "measure"]].itertuples(index=False, name=None))
    df["_series_has_baseline_row"] = [key in with_baseline for key in zip(df["sector"], df["measure"])]
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

    base = df["measure"].str.replace("_excl_informatica", "", regex=False)
    q = quarantined.groupby(["measure_base", "year"])["n_quarantined"].sum()
    df["_quarantined_cells"] = [int(q.get((m, y), 0)) for m, y in zip(base, df["year"])]
    return df
