"""pipelines/ingest/geography.py: province spellings -> the 12 official names of seed provinces."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.ingest.geography import (
    canonical_province,
    canonical_provinces,
    official_provinces,
    province_names,
    spelling_key,
)


@pytest.mark.parametrize("text, key", [
    ("NOORD BRABANT", "noordbrabant"),
    ("Noord-Brabant", "noordbrabant"),
    ("noord brabant", "noordbrabant"),
    ("FRYSLÂN", "fryslan"),
    ("Súdwest-Fryslân", "sudwestfryslan"),
    ("Bergen (NH.)", "bergennh"),
    ("'s-Hertogenbosch", "shertogenbosch"),
    ("", ""),
])
def test_spelling_key_drops_case_diacritics_and_punctuation(text, key):
    assert spelling_key(text) == key


@pytest.mark.parametrize("raw, official", [
    ("NOORD BRABANT", "Noord-Brabant"),
    ("Noord-Brabant", "Noord-Brabant"),
    ("noord brabant", "Noord-Brabant"),
    ("  Noord-Brabant ", "Noord-Brabant"),
    ("FRYSLÂN", "Fryslân"),
    ("Fryslân", "Fryslân"),
    ("fryslan", "Fryslân"),
    ("Friesland", "Fryslân"),  # an other name of the seed
    ("FRIESLAND", "Fryslân"),
    ("ZUID_HOLLAND", "Zuid-Holland"),
    ("Limburg", "Limburg"),
])
def test_canonical_province_gives_the_official_name(raw, official):
    assert canonical_province(raw) == official


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_empty_province_is_none(raw):
    assert canonical_province(raw) is None


@pytest.mark.parametrize("raw, kept", [
    ("Noord-Braband", "Noord-Braband"),   # a misspelling is not guessed at
    (" Brabant-Noord ", "Brabant-Noord"),  # returned stripped, for the schema to reject
    ("Holland", "Holland"),
    ("onbekend", "onbekend"),
])
def test_unknown_province_is_returned_as_it_was(raw, kept):
    assert canonical_province(raw) == kept
    assert kept not in official_provinces()


def test_the_twelve_provinces_come_from_the_seed_in_its_order():
    provinces = official_provinces()
    assert len(provinces) == 12 == len(set(provinces))
    assert provinces[0] == "Groningen" and provinces[1] == "Fryslân" and provinces[-1] == "Limburg"
    # every official name and the other name Friesland lead to an official name
    assert set(province_names().values()) == set(provinces)
    assert province_names()["friesland"] == "Fryslân"


def test_canonical_provinces_maps_a_column_and_keeps_missing_values():
    column = pd.Series(["noord brabant", None, "FRYSLÂN", "Noord-Braband", ""], dtype="string")
    result = canonical_provinces(column)
    assert str(result.dtype) == "string"
    assert result.iloc[0] == "Noord-Brabant" and result.iloc[2] == "Fryslân" and result.iloc[3] == "Noord-Braband"
    assert pd.isna(result.iloc[1]) and pd.isna(result.iloc[4])
