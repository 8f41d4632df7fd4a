"""Province and municipality names as DUO's files spell them, matched to the 12 provinces.

The provinces are declared once, in the dbt seed `provinces` (code, official name, other names). A
value matches on its spelling key: lower case, no diacritics, letters and digits only, so
`NOORD BRABANT`, `Noord-Brabant` and `noord brabant` are one province and `FRYSLÂN`, `Fryslân` and
`Friesland` (an other name) another. The same key matches municipality names against
`reference/gemeenten.csv` in dbt (macro `spelling_key`), so both sides of the match agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd

from pipelines.dbt_settings import seed_rows

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def spelling_key(text: str) -> str:
    """`Súdwest-Fryslân` -> `sudwestfryslan`: what two spellings of one name share."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return _NOT_ALNUM.sub("", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Spelling key -> the official name, for each province's name and its other names."""
    names: dict[str, str] = {}
    for row in seed_rows("provinces"):
        for spelling in [row["provincie"], *filter(None, row["andere_namen"].split("|"))]:
            names[spelling_key(spelling)] = row["provincie"]
    return names


def official_provinces() -> list[str]:
    """The 12 official names, in the seed's order (what a normalised province column may hold)."""
    return [row["provincie"] for row in seed_rows("provinces")]


def canonical_province(raw: str | None) -> str | None:
    """The official name of a province spelling; empty -> None (no province stated); a spelling that
    matches no province is returned as it was, for the schema to reject with its line and column."""
    if raw is None or not raw.strip():
        return None
    return province_names().get(spelling_key(raw), raw.strip())


def canonical_provinces(series: pd.Series) -> pd.Series:
    return series.map(canonical_province, na_action="ignore").astype("string")
