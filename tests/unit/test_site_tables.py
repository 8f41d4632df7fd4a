"""The figures tables and lineage pages that static/tables.js draws (issue 19, part 5 "Light"): what
site.py hands the browser must let it show exactly what the Python views describe. Fast: plain rows
in, no job run (tests/e2e/test_site_pages.py checks the same in a real browser on the sample)."""

from __future__ import annotations

import json
import re

from pipelines.publishing import site

GRAIN = ["sector", "measure", "instellingscode", "year"]
COLUMNS = [
    {"name": "sector", "type": "VARCHAR", "unit": "code", "role": "filter", "label": "Sector"},
    {"name": "measure", "type": "VARCHAR", "unit": "code", "role": "filter", "label": "Stroom"},
    {"name": "instellingscode", "type": "VARCHAR", "unit": "code", "role": "filter", "label": "Instellingscode"},
    {"name": "instellingsnaam", "type": "VARCHAR", "unit": "text", "role": "filter", "label": "Instellingsnaam"},
    {"name": "year", "type": "INTEGER", "unit": "year", "role": "filter", "label": "Jaar"},
    {"name": "value", "type": "DECIMAL(18,1)", "unit": "persons", "role": "indicator", "label": "Aantal (puntschatting)"},
    {"name": "value_low", "type": "DECIMAL(18,1)", "unit": "persons", "role": "indicator", "label": "Aantal (ondergrens)"},
    {"name": "value_high", "type": "DECIMAL(18,1)", "unit": "persons", "role": "indicator", "label": "Aantal (bovengrens)"},
    {"name": "n_masked_cells", "type": "INTEGER", "unit": "cells", "role": "indicator", "label": "Afgeschermde cellen"},
    {"name": "baseline_year", "type": "INTEGER", "unit": "year", "role": "indicator", "label": "Basisjaar"},
    {"name": "baseline_value", "type": "DECIMAL(18,1)", "unit": "persons", "role": "indicator", "label": "Aantal in het basisjaar"},
    {"name": "index", "type": "DECIMAL(18,1)", "unit": "index", "role": "indicator", "label": "Index (basisjaar = 100)"},
    {"name": "growth_pct", "type": "DECIMAL(18,1)", "unit": "percent", "role": "indicator", "label": "Groei (%)"},
    {"name": "suppression", "type": "VARCHAR", "unit": "symbol", "role": "indicator", "label": "Geheimhouding"},
    {"name": "suppression_reason", "type": "VARCHAR", "unit": "text", "role": "indicator", "label": "Reden geheimhouding"},
    {"name": "is_provisional", "type": "BOOLEAN", "unit": "boolean", "role": "indicator", "label": "Voorlopig"},
]
META = {"grain": GRAIN, "columns": COLUMNS, "inputs": [], "title_nl": "Benchmark per instelling"}


def row(code="21PA", year="2005", value="12345.0", low="12340.0", high="12352.0", masked="3", growth="23.4",
        suppression="", reason="", provisional="false", measure="instroom_excl_informatica"):
    return {"sector": "hbo", "measure": measure, "instellingscode": code, "instellingsnaam": "Hogeschool, \"A\"",
            "year": year, "value": value, "value_low": low, "value_high": high, "n_masked_cells": masked,
            "baseline_year": "2000", "baseline_value": "10000.0", "index": "123.4", "growth_pct": growth,
            "suppression": suppression, "suppression_reason": reason, "is_provisional": provisional}


ROWS = [row(), row(year="2006", low="", high="", masked="0", provisional="true"),
        row(code="30GB", value="", low="", high="", masked="", growth="", suppression="c",
            reason="primary: rests on fewer than 10 persons"),
        row(code="30GB", year="2006", value="", low="", high="", masked="", growth="", suppression="c",
            reason="secondary: protects another suppressed figure from differencing", measure="uitstroom")]


def test_the_headline_column_follows_the_grain():
    names = [c["name"] for c in COLUMNS]
    shown = site.shown_columns(names, GRAIN, "growth_pct")
    assert shown[:6] == ["sector", "measure", "instellingscode", "instellingsnaam", "year", "growth_pct"]
    assert sorted(shown) == sorted(names)
    assert site.shown_columns(["year", "growth_pct", "value"], ["year"], "growth_pct") == ["year", "growth_pct", "value"]


def test_computation_templates_reproduce_every_computation():
    names = list(ROWS[0])
    config = site.lineage_part_config("institution_growth", "v1", META, ROWS, names, {}, {})
    columns = {c["name"]: c for c in config["columns"]}
    cols = site.column_kinds(META)
    for r in ROWS:
        template = config["templates"][site.shape_key(r, names)]
        assert site.fill_template(template, r, columns) == site.computation("institution_growth", r, cols)
    assert config["literal"] == {}
    assert len(config["templates"]) == 3  # masked, unmasked, suppressed (both reasons: one template)
    filled = site.fill_template(config["templates"][site.shape_key(ROWS[0], names)], ROWS[0], columns)
    assert "12.345,0" in filled and "2000" in filled and "2.000" not in filled  # numbers Dutch, years as they are
    suppressed = site.fill_template(config["templates"][site.shape_key(ROWS[3], names)], ROWS[3], columns)
    assert "aanvullend geheim" in suppressed and "secondary" not in suppressed


def test_a_row_the_template_cannot_reproduce_carries_its_own_text(monkeypatch):
    real = site.computation

    def odd(mart, r, cols=None):  # depends on a value, not only on which columns are empty
        return real(mart, r, cols) + (" Let op." if r.get("instellingscode") == "30GB" else "")

    monkeypatch.setattr(site, "computation", odd)
    names = list(ROWS[0])
    config = site.lineage_part_config("institution_growth", "v1", META, ROWS, names, {}, {})
    assert set(config["literal"]) == {site.figure_anchor(r, GRAIN) for r in ROWS[2:]}  # the two of 30GB
    for anchor, text in config["literal"].items():
        assert text.endswith("Let op.")


def test_inputs_are_listed_per_series_and_year_with_shared_texts():
    names = list(ROWS[0])
    config = site.lineage_part_config("institution_growth", "v1", META, ROWS, names, {}, {})
    assert config["inputKeys"] == ["sector", "measure", "baseline_year", "year"]
    assert set(config["groups"]) == {site.input_group(r, config["inputKeys"]) for r in ROWS}
    assert all(all(0 <= i < len(config["strings"]) for entry in g for i in entry) for g in config["groups"].values())
    assert config["trace"] == {"prefix": "betamonitor trace institution_growth --where ",
                               "suffix": " --column growth_pct --version v1"}
    r = ROWS[0]
    where = ",".join(f"{g}={r[g]}" for g in GRAIN)
    assert site.trace_command("institution_growth", r, GRAIN, "v1") == config["trace"]["prefix"] + where + \
        config["trace"]["suffix"]


def test_columns_say_how_the_browser_shows_each_value():
    config = {c["name"]: c for c in site.columns_config([c["name"] for c in COLUMNS], ROWS, META)}
    assert config["value"]["kind"] == "num" and config["year"]["kind"] == "year"
    assert config["is_provisional"]["kind"] == "bool" and config["measure"]["kind"] == "text"
    assert config["measure"]["map"] == {"instroom_excl_informatica": "instroom zonder informatica"}
    assert config["suppression_reason"]["map"]["primary: rests on fewer than 10 persons"] == \
        "het cijfer berust op minder dan 10 personen"
    assert config["instellingsnaam"]["map"] == {}  # names are shown as they are: no map needed


def test_filters_choose_years_and_few_codes_and_search_names():
    view = site.filters_view(ROWS, META, [c["name"] for c in COLUMNS], ["sector"])
    assert [s["name"] for s in view["selects"]] == ["measure", "instellingscode", "year"]
    assert view["search"] == ["instellingsnaam"]
    many = [row(code=f"{i:02d}XX") for i in range(20)]
    view = site.filters_view(many, META, [c["name"] for c in COLUMNS], ["sector"])
    assert view["search"] == ["instellingscode", "instellingsnaam"]
    assert view["search_label"] == "instellingscode of instellingsnaam"


def test_the_data_script_holds_any_text_safely():
    text = 'sector,naam\nhbo,"<!--<script>alert(1)</script>, ""x""\u2028"\n'
    script = site.data_script(text)
    assert "<" not in script.split("*/", 1)[1] and "\u2028" not in script
    value = re.search(r"window\.betamonitorCsv = (.*);\n$", script, re.S).group(1)
    assert json.loads(value) == text


def test_lineage_pages_are_per_sector():
    assert site.lineage_file(ROWS[0], ["sector"]) == f"lineage/{site.slug('hbo')}.html"
    assert site.lineage_file(ROWS[0], []) == "lineage/alle.html"
    assert site.part_columns(META) == ["sector"]
