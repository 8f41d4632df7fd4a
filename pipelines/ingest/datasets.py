"""The `duo/` datasets the pipeline accepts, their layouts and their pandera schemas.

Adding a sector = adding a DatasetSpec here (+ a value normaliser and schema if its dimensions
differ) and a landing source in dbt; reading, quarantine and registry code is shared.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

from pipelines.ingest.layouts import DatasetSpec, LongLayout, WideLayout
from pipelines.ingest.normalise import canonical_opleidingsvorm, canonical_value

_HO_DIMENSIONS = {
    "TYPE HOGER ONDERWIJS": "sector",
    "INSTELLINGSCODE ACTUEEL": "instellingscode",
    "INSTELLINGSNAAM ACTUEEL": "instellingsnaam",
    "ONDERDEEL": "onderdeel",
    "OPLEIDINGSCODE ACTUEEL": "opleidingscode",
    "OPLEIDINGSNAAM ACTUEEL": "opleidingsnaam",
    "OPLEIDINGSVORM": "opleidingsvorm",
}

HO_EERSTEJAARS = DatasetSpec(
    name="ho_eerstejaars",
    family="ho",
    measure="instroom",
    dimensions=_HO_DIMENSIONS,
    optional_dimensions={"OPLEIDINGSFASE ACTUEEL": "opleidingsfase"},
    wide=WideLayout(name="W"),
    long=LongLayout(name="L", year_headers=("STUDIEJAAR",)),
)

HO_GEDIPLOMEERDEN = DatasetSpec(
    name="ho_gediplomeerden",
    family="ho",
    measure="uitstroom",
    dimensions=_HO_DIMENSIONS,
    # Wide files say OPLEIDINGSFASE ACTUEEL, long files SOORT_DIPLOMA: the same idea, one column.
    optional_dimensions={"OPLEIDINGSFASE ACTUEEL": "opleidingsfase", "SOORT DIPLOMA": "opleidingsfase"},
    wide=WideLayout(name="W"),
    long=LongLayout(name="L", year_headers=("DIPLOMAJAAR", "STUDIEJAAR")),
)

DATASETS: dict[str, DatasetSpec] = {spec.name: spec for spec in (HO_EERSTEJAARS, HO_GEDIPLOMEERDEN)}


def normalise_ho_values(cells: pd.DataFrame) -> pd.DataFrame:
    """Spelling variants -> one spelling (contract section 5); the schema then checks the domain."""
    out = cells.copy()
    for col in ("sector", "onderdeel", "opleidingsfase"):
        out[col] = out[col].map(canonical_value, na_action="ignore").astype("string")
    out["opleidingsvorm"] = out["opleidingsvorm"].map(canonical_opleidingsvorm, na_action="ignore").astype("string")
    out["instellingscode"] = out["instellingscode"].str.strip().str.upper()
    return out


VALUE_NORMALISERS: dict[str, Callable[[pd.DataFrame], pd.DataFrame]] = {"ho": normalise_ho_values}


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column("string", checks=list(checks), nullable=nullable)


def cell_schema(spec: DatasetSpec, count_pattern: str) -> pa.DataFrameSchema:
    """Schema of one dataset's cells as read (before counts are typed)."""
    common = {
        "line_number": pa.Column("Int64", pa.Check.ge(2)),
        "column_header": _text(),
        "raw_value": _text(pa.Check.str_matches(count_pattern, error="count is not a non-negative number or mask")),
        "year": _text(pa.Check.str_matches(r"^(19|20)\d\d$", error="year is not a 4-digit year")),
        "gender": _text(pa.Check.isin(["MAN", "VROUW"], error="gender is not MAN or VROUW")),
    }
    if spec.family == "ho":
        dims = {
            "sector": _text(pa.Check.isin(["hbo", "wo"], error="TYPE HOGER ONDERWIJS is not hbo or wo")),
            "instellingscode": _text(pa.Check.str_matches(r"^[0-9A-Z]{4}$", error="institution code is not 4 characters")),
            "instellingsnaam": _text(nullable=True),
            "onderdeel": _text(pa.Check.str_length(min_value=1, error="onderdeel is empty")),
            "opleidingscode": _text(pa.Check.str_matches(r"^\d{1,6}$", error="opleidingscode is not numeric")),
            "opleidingsnaam": _text(nullable=True),
            "opleidingsvorm": _text(pa.Check.isin(["VT", "DT", "DU"], error="opleidingsvorm is not VT/DT/DU")),
            "opleidingsfase": _text(nullable=True),
        }
    else:  # pragma: no cover - new families add their dimensions here
        raise KeyError(spec.family)
    return pa.DataFrameSchema({**common, **dims}, strict=True, coerce=False)
