"""The Dutch texts of metadata.json and the data packages (texts_nl.py): declared once, no English."""

from __future__ import annotations

import pytest

from pipelines.publishing import texts_nl
from pipelines.publishing.datapackage import _field

ENGLISH = ["not applicable", "confidential", "suppressed", "provisional", "persons", " the ", " and ", " with ",
           "baseline", "left out", "candidates", "spreadsheet", "`", "contract"]


def english(text: str) -> list[str]:
    return [p for p in ENGLISH if p in text.lower()]


@pytest.mark.parametrize("mart", sorted(texts_nl.SYMBOLS))
def test_symbols_and_fixed_footnotes_are_dutch(mart):
    symbols = texts_nl.metadata_symbols(mart)
    assert "empty cell" in symbols and "" not in symbols  # the key metadata.json has always used
    assert not [t for t in [*symbols.values(), *texts_nl.static_footnotes(mart)] if english(t)]
    assert not english(texts_nl.CSV_ESCAPING.replace("OWASP", "")) and "OWASP" in texts_nl.CSV_ESCAPING


def test_footnotes_the_data_adds_are_dutch():
    notes = [texts_nl.series_break_missing([2015, 2016]), texts_nl.series_break_left_out(2019, 3.0),
             texts_nl.unclassified_programme("34567", "Technische X", "techniek", True),
             texts_nl.without_baseline("havo_vwo", "uitstroom", 2015, 2016, 2019)]
    assert not [n for n in notes if english(n)]
    assert notes[1] == "Vmbo-uitstroom theoretische leerweg 2019: 3 examenkandidaten zonder sector zijn niet meegeteld."
    assert notes[3].startswith("Havo en vwo, uitstroom: er zijn geen gegevens over het basisjaar 2015 (wel over 2016-2019)")
    # the English notes of older versions translate to the same text
    assert texts_nl.footnotes("sector_growth", [
        "vmbo uitstroom_tl 2019: 3 VMBO T candidates without a sector are left out."])[-1] == notes[1]


def test_footnotes_of_a_dutch_version_are_shown_as_published():
    published = texts_nl.static_footnotes("institution_growth", 7) + ["Opleiding 1 (X, onderdeel techniek) …"]
    assert texts_nl.footnotes("institution_growth", published, "10") == published
    assert any("minder dan 7 personen" in n for n in published)


def test_reasons_cells_were_not_counted_are_dutch():
    from pipelines.dbt_settings import seed_rows

    for row in seed_rows("ho_programme_types"):
        if row["is_counted"] == "false":
            dutch = texts_nl.not_counted_reason(f"{row['programme_type']}: {row['reason']}")
            assert dutch.startswith(row["programme_type"] + ": ") and not english(dutch[len(row["programme_type"]):]), row
    assert texts_nl.not_counted_reason("x: something new") == "x: something new"


def test_units_are_dutch_in_the_data_package():
    field = _field({"name": "value", "type": "DECIMAL(18,1)", "unit": "persons", "label": "Aantal"})
    assert field["unit"] == "personen"
    assert _field({"name": "i", "type": "DOUBLE", "unit": "indexcijfer (basisjaar = 100)"})["unit"] == \
        texts_nl.unit("index (baseline year = 100)")
