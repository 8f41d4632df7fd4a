"""The chart specs (pipelines/publishing/charts.py) say what a statistician must see: targets only where
there is one and with their year, a band exactly where cells are masked, provisional figures marked,
aggregates apart from their parts, as wide as their container, and no code words."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from pipelines.dbt_settings import mart_declarations, sector_parts
from pipelines.paths import DBT_PROJECT_DIR
from pipelines.publishing import charts, site
from pipelines.publishing import diff as mart_diff
from pipelines.publishing.charts import AGGREGATE_PALETTE, PROVISIONAL, TARGET_COLOUR

# --- rows as the marts publish them (data.csv: every value a string) ---------------------------------------


def sector_row(sector, measure, year, value, *, low=None, high=None, masked=0, target="", target_year="",
               provisional=False, baseline=100.0):
    low = value if low is None else low
    high = value if high is None else high
    index = round(100 * value / baseline, 1)
    return {"sector": sector, "measure": measure, "year": str(year), "value": f"{value:.1f}",
            "value_low": f"{low:.1f}", "value_high": f"{high:.1f}", "n_masked_cells": str(masked),
            "baseline_year": "2000", "baseline_value": f"{baseline:.1f}", "index": f"{index:.1f}",
            "growth_pct": f"{index - 100:.1f}", "target_growth_pct": target, "target_year": target_year,
            "is_provisional": "true" if provisional else "false", "source_delivery": "2009-03-16"}


def sector_rows() -> list[dict]:
    rows = []
    for year, v in ((2000, 100.0), (2001, 104.0), (2002, 110.0)):
        last = year == 2002
        rows.append(sector_row("hbo", "instroom", year, v, target="15", target_year="2007", provisional=last))
        rows.append(sector_row("hbo", "instroom_excl_informatica", year, v - 5, baseline=95.0, provisional=last))
        rows.append(sector_row("hbo", "uitstroom", year, v + 1, baseline=101.0, target="15", target_year="2010",
                               provisional=last))
        rows.append(sector_row("wo", "instroom", year, v * 2, baseline=200.0, target="15", target_year="2007"))
        rows.append(sector_row("ho", "instroom", year, v * 3, baseline=300.0, target="15", target_year="2007"))
        # havo: masked cells in 2001 only; havo uitstroom has no target
        rows.append(sector_row("havo", "instroom", year, v, target="15", target_year="2010",
                               masked=40 if year == 2001 else 0,
                               low=v - 30 if year == 2001 else None, high=v + 30 if year == 2001 else None))
        rows.append(sector_row("havo", "uitstroom", year, v))
        rows.append(sector_row("vwo", "instroom", year, v, target="15", target_year="2010"))
        rows.append(sector_row("havo_vwo", "instroom", year, 2 * v, baseline=200.0, target="15", target_year="2010",
                               masked=40 if year == 2001 else 0,
                               low=2 * v - 30 if year == 2001 else None, high=2 * v + 30 if year == 2001 else None))
    return rows


def program_rows() -> list[dict]:
    rows = []
    for year, n_part, n_non in ((2000, 4, 16), (2005, 10, 8), (2007, 19, 1)):
        for participation, n, masked in (("participants", n_part, 0), ("non_participants", n_non, 3)):
            for measure in ("instroom", "instroom_excl_informatica"):
                low, high = (95.0, 104.0) if masked else (100.0, 100.0)
                rows.append({"program": "ANY", "sector": "hbo", "measure": measure, "year": str(year),
                             "participation": participation, "n_institutions": str(n), "value": "100.0",
                             "value_low": f"{low:.1f}", "value_high": f"{high:.1f}", "n_masked_cells": str(masked),
                             "baseline_year": "2000", "baseline_value": "80.0", "baseline_value_low": "78.0",
                             "baseline_value_high": "82.0" if masked else "78.0", "index": "125.0",
                             "growth_pct": "25.0", "is_provisional": "true" if year == 2007 else "false"})
    return rows


def gender_rows() -> list[dict]:
    rows = []
    for year in (2000, 2001):
        rows.append({"indicator": "share_women", "sector": "havo_vwo", "measure": "instroom", "gender": "vrouw",
                     "school_group": "all schools", "year": str(year), "numerator": "40.0", "denominator": "100.0",
                     "share_pct": "40.0", "n_masked_cells": "0", "is_provisional": "false"})
        for gender in ("man", "vrouw", "totaal"):
            for group in ("all schools", "ANY participants", "UNIVERSUM participants"):
                rows.append({"indicator": "share_n_profiel", "sector": "havo", "measure": "instroom",
                             "gender": gender, "school_group": group, "year": str(year), "numerator": "50.0",
                             "denominator": "100.0", "share_pct": "50.0", "n_masked_cells": "0",
                             "is_provisional": "false"})
    return rows


def institution_rows() -> list[dict]:
    return [{"sector": "havo_vwo", "measure": "instroom", "instellingscode": f"0{i}AA", "instellingsnaam": f"School {i}",
             "year": str(y), "value": "50.0", "value_low": "50.0", "value_high": "50.0", "n_masked_cells": "0",
             "baseline_year": "2000", "baseline_value": "40.0", "index": "125.0", "growth_pct": str(10.0 * i),
             "rank_in_sector": "1", "n_ranked": "3", "suppression": "", "suppression_reason": "",
             "is_provisional": "false"} for i in range(3) for y in (2000, 2007)]


def all_marts() -> dict[str, list[dict]]:
    return {
        "sector_growth": sector_rows(),
        "program_growth": program_rows(),
        "gender_shares": gender_rows(),
        "institution_growth": institution_rows(),
        "participation_counts": [{"program": p, "year": str(y), "n_institutions": str(n), "n_joined": "0"}
                                 for p in ("VTB", "UNIVERSUM") for y, n in ((2004, 10), (2005, 12))],
        "audit_outcomes": [{"program": "HBO-SPRINT", "audit_year": "2006", "n_judged": "9", "n_positief": "5",
                            "n_twijfel": "3", "n_negatief": "1", "n_twijfel_or_negatief": "4"}],
        "audit_judgements": [{"program": "UNIVERSUM", "audit_year": "2007", "instellingscode": "01AA",
                              "instellingsnaam": "School", "judgement": j, "sector": "havo_vwo",
                              "measure": "instroom", "growth_pct": "12.5", "index": "112.5", "value": "10.0",
                              "baseline_value": "8.0", "rank_in_sector": "1", "n_ranked": "2", "suppression": "",
                              "note": "", "audit_file": "audits/2007_universum.xlsx", "audit_row": "2"}
                             for j in ("positief", "twijfel")],
    }


def by_title(chart_list) -> dict[str, charts.Chart]:
    return {c.title: c for c in chart_list}


def layers(chart: charts.Chart, mark: str) -> list[dict]:
    def kind(layer):
        m = layer.get("mark")
        return m if isinstance(m, str) else m.get("type")
    return [layer for layer in chart.spec.get("layer", []) if kind(layer) == mark]


def texts(node, key=None):
    """Every string value of a spec (not the keys), with the key it is under."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from texts(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from texts(v, key)
    elif isinstance(node, str):
        yield key, node


# --- the declaration -----------------------------------------------------------------------------------


def test_every_mart_declares_its_charts_and_headline_with_the_mart():
    declared = mart_declarations()
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    columns = {m["name"]: [c["name"] for c in m.get("columns", [])] for m in spec["models"]}
    # a mart shown as a map (regional_growth: pipelines/publishing/choropleth.py, tests/unit/test_site_map.py)
    # declares its map instead of charts
    maps = {mart for mart, meta in declared.items() if "map" in meta}
    assert maps == {"regional_growth"} and set(declared) == set(all_marts()) | maps
    for mart, meta in declared.items():
        assert meta.get("charts") or mart in maps, mart
        for decl in meta.get("charts", []) + ([meta["overview"]] if "overview" in meta else []):
            assert decl["kind"] in ("lines", "benchmark", "audit", "judgements"), (mart, decl)
            for c in [*decl.get("by", []), *decl.get("series", []), *decl.get("where", {}), *decl.get("skip", {})]:
                assert c in columns[mart], (mart, c)
            if decl["kind"] == "lines":
                assert decl["y"] in columns[mart] and decl.get("axis") and decl.get("title"), (mart, decl)
        # the headline column is the one the tables link and "what changed" shows
        grain = meta["grain"]
        assert meta["headline"] == mart_diff.headline_column(columns[mart], [c for c in columns[mart] if c not in grain])


def test_charts_come_from_the_declaration_in_its_order_per_part():
    got = [c.title for c in charts.charts_for("sector_growth", sector_rows())]
    # per sector (sorted by code) its growth, then its counts
    assert got[:2] == ["Groei havo ten opzichte van 2000", "Aantal havo per jaar"]
    assert len(got) == 2 * len({r["sector"] for r in sector_rows()})
    assert "Groei havo en vwo ten opzichte van 2000" in got  # the code havo_vwo is never in a title
    program = [c.title for c in charts.charts_for("program_growth", program_rows())]
    assert program == ["elk programma, hbo: groei van deelnemers en niet-deelnemers",
                       "elk programma, hbo: aantal instellingen per groep"]
    assert site.charts_for is charts.charts_for and site.chart_view is charts.chart_view


# --- what every chart shows ------------------------------------------------------------------------------


@pytest.mark.parametrize("mart", sorted(all_marts()))
def test_every_chart_is_as_wide_as_its_container_and_has_no_codes(mart):
    rows = all_marts()[mart]
    found = charts.charts_for(mart, rows) + [charts.overview_chart(mart, rows)]
    assert found
    code = re.compile(r"\b(ANY|non_participants|participants|all schools|share_women|share_n_profiel|havo_vwo|"
                      r"[a-z]+_excl_informatica|uitstroom_tl|[a-z]+_[a-z_]+)\b")
    for chart in found:
        spec = chart.spec
        assert spec["$schema"].endswith("/v6.json")
        assert spec["width"] == "container" and spec["autosize"]["type"] == "fit-x"
        assert "width" not in json.dumps([spec.get("layer", []), spec.get("encoding", {})]).replace('"strokeWidth"', "")
        shown = [(k, t) for k, t in texts(spec) if k not in ("$schema", "test", "filter", "type", "field",
                                                             "format", "orient", "direction", "shape", "symbolType")]
        shown += [("title", chart.title), ("summary", chart.summary)]
        shown += [("cell", str(v.get(c))) for v in chart.rows for c in chart.columns]
        bad = [(k, t) for k, t in shown if code.search(t)]
        assert not bad, (mart, chart.title, bad[:5])
        legends = [t for k, t in texts(spec) if k == "field"]
        assert not [f for f in legends if code.search(f)], legends


def test_target_only_where_there_is_one_labelled_with_its_year_and_value():
    found = by_title(charts.charts_for("sector_growth", sector_rows()))
    hbo = found["Groei hbo ten opzichte van 2000"]
    labels = sorted(layer["data"]["values"][0]["tekst"] for layer in layers(hbo, "text"))
    assert labels == ["doel 2007: +15%", "doel 2010: +15%"]
    rules = layers(hbo, "rule")
    assert len(rules) == 2 and all(r["mark"]["color"] == TARGET_COLOUR for r in rules)
    # each target runs up to its year, and says which series it is for
    assert {(r["data"]["values"][0]["doeljaar"], r["data"]["values"][0]["geldt voor"]) for r in rules} == \
        {(2007, "instroom"), (2010, "uitstroom")}
    assert "instroom zonder informatica" not in json.dumps([r["data"] for r in rules], ensure_ascii=False)
    # the x axis reaches the target year
    line = layers(hbo, "line")[0]
    assert line["encoding"]["x"]["scale"]["domain"] == [2000, 2010]
    assert "Doel: +15% in 2007 voor instroom" in hbo.summary
    # no target: no rule, no label
    for title in ("Aantal hbo per jaar", "Aantal havo per jaar"):
        assert not layers(found[title], "rule") and not layers(found[title], "text")
    havo_uitstroom = charts._line_chart("t", [r for r in sector_rows() if r["sector"] == "havo" and
                                              r["measure"] == "uitstroom"], "growth_pct", "groei %", ["measure"],
                                        target=True)
    assert not layers(havo_uitstroom, "rule") and "Doel" not in havo_uitstroom.summary
    # the overview: instroom of every sector, ho-style targets in 2007, the others in 2010
    overview = charts.overview_chart("sector_growth", sector_rows())
    goals = {layer["data"]["values"][0]["tekst"]: layer["data"]["values"][0]["geldt voor"]
             for layer in layers(overview, "text")}
    assert goals == {"doel 2007: +15%": "hbo, ho (hbo en wo), wo", "doel 2010: +15%": "havo, havo en vwo, vwo"}


def test_band_exactly_where_cells_are_masked():
    found = by_title(charts.charts_for("sector_growth", sector_rows()))
    for sector in ("hbo", "wo", "ho", "vwo"):
        chart = found[f"Aantal {charts.code_label(sector)} per jaar"]
        assert not layers(chart, "area"), sector
        assert "ondergrens" not in chart.columns
    havo = found["Aantal havo per jaar"]
    [area] = layers(havo, "area")
    assert area["encoding"]["y"]["field"] == "ondergrens" and area["encoding"]["y2"]["field"] == "bovengrens"
    banded = [v for v in havo.rows if v.get("ondergrens") is not None]
    assert {v["reeks"] for v in banded} == {"instroom"}  # the masked series only, not havo uitstroom
    masked = {(v["jaar"]): (v["ondergrens"], v["bovengrens"]) for v in banded if v["ondergrens"] != v["bovengrens"]}
    assert masked == {2001: (74.0, 134.0)}  # value_low..value_high of the masked figure
    assert "afgeschermde" in havo.summary and havo.columns[3:5] == ["ondergrens", "bovengrens"]
    # growth charts of sectors show no band (the value chart has it)
    assert not layers(found["Groei havo ten opzichte van 2000"], "area")
    # a group's growth: the exact range from the bounds of its value and of its baseline value
    growth = charts.charts_for("program_growth", program_rows())[0]
    assert layers(growth, "area")
    non = [v for v in growth.rows if v["reeks"].startswith("niet-deelnemers")]
    assert non and all((v["ondergrens"], v["bovengrens"]) == (round(100 * 95 / 82 - 100, 1), round(100 * 104 / 78 - 100, 1))
                       for v in non if v["jaar"] != 2000)
    # the baseline year against itself is exact: the band pinches to the line
    assert [(v["ondergrens"], v["bovengrens"]) for v in non if v["jaar"] == 2000] == [(25.0, 25.0)]
    assert not [v for v in growth.rows if v["reeks"].startswith("deelnemers") and v.get("ondergrens") is not None]


def test_provisional_figures_are_open_diamonds_and_the_legend_says_so():
    chart = by_title(charts.charts_for("sector_growth", sector_rows()))["Groei hbo ten opzichte van 2000"]
    definitive, provisional = layers(chart, "point")[:2]
    assert definitive["transform"] == [{"filter": "!datum.voorlopig"}] and definitive["mark"]["filled"] is True
    assert provisional["transform"] == [{"filter": "datum.voorlopig"}]
    assert provisional["mark"]["filled"] is False and provisional["mark"]["fill"] == "#ffffff"
    enc = provisional["encoding"]
    assert enc["shape"]["scale"]["domain"][1] == PROVISIONAL and "voorlopig" in PROVISIONAL
    assert enc["shape"]["scale"]["range"] == ["circle", "diamond"] and enc["shape"]["legend"]["orient"] == "top"
    flagged = {(v["reeks"], v["jaar"]) for v in chart.rows if v["voorlopig"]}
    assert flagged == {(s, 2002) for s in ("instroom", "instroom zonder informatica", "uitstroom")}
    assert all(v["cijfer"] == PROVISIONAL for v in chart.rows if v["voorlopig"])
    assert "voorlopig" in chart.columns and "Open ruiten zijn voorlopige cijfers" in chart.summary
    # no provisional figure: no status legend
    wo = by_title(charts.charts_for("sector_growth", sector_rows()))["Groei wo ten opzichte van 2000"]
    assert layers(wo, "point")[0]["encoding"]["shape"] == {"value": "circle"}
    assert not [p for p in layers(wo, "point") if p.get("transform") == [{"filter": "datum.voorlopig"}]]
    assert "voorlopig cijfer" not in json.dumps(wo.spec)


def test_aggregates_are_thick_dark_and_distinct_from_their_parts():
    overview = charts.overview_chart("sector_growth", sector_rows())
    [line] = layers(overview, "line")
    scale = line["encoding"]["color"]["scale"]
    colours = dict(zip(scale["domain"], scale["range"]))
    assert len(set(scale["range"])) == len(scale["range"])  # every series its own colour
    aggregates = {charts.code_label(a) for a in sector_parts()}
    shown = aggregates & set(colours)
    assert shown == {"ho (hbo en wo)", "havo en vwo"}
    assert all(colours[a] in AGGREGATE_PALETTE for a in shown)
    assert not [s for s in set(colours) - shown if colours[s] in AGGREGATE_PALETTE]
    assert scale["domain"][-2:] == sorted(shown)  # listed after the parts
    assert line["encoding"]["strokeWidth"] == {"condition": {"test": "datum.totaal", "value": 4}, "value": 2}
    assert {v["reeks"] for v in overview.rows if v["totaal"]} == shown
    assert "Dikke lijnen zijn totalen" in overview.summary
    # legends below the chart, at most two columns (site.js: one on a narrow screen)
    legend = line["encoding"]["color"]["legend"]
    assert legend["orient"] == "bottom" and legend["columns"] <= 2 and legend["labelLimit"] <= 160


def test_program_charts_show_the_group_sizes_per_year():
    growth, sizes = charts.charts_for("program_growth", program_rows())
    points = {(v["reeks"], v["jaar"]): v["instellingen"] for v in sizes.rows}
    assert points[("niet-deelnemers, instroom", 2000)] == 16 and points[("niet-deelnemers, instroom", 2007)] == 1
    assert sizes.spec["layer"][0]["encoding"]["y"]["title"] == "instellingen"
    assert "niet-deelnemers, instroom: 2000 16, 2007 1" in sizes.summary
    assert "instellingen" in growth.columns  # and in the growth chart's table and tooltip
    assert "16 en 1 instellingen" in growth.summary
    assert not [v for v in growth.rows + sizes.rows if "zonder informatica" in v["reeks"]]


def test_chart_table_in_dutch_notation():
    chart = by_title(charts.charts_for("sector_growth", sector_rows()))["Aantal havo en vwo per jaar"]
    view = charts.chart_view(chart, 3)
    assert view["id"] == "grafiek-3" and view["columns"] == ["reeks", "jaar", "aantal", "ondergrens", "bovengrens",
                                                              "voorlopig"]
    row_2001 = next(r for r in view["rows"] if r[1]["text"] == "2001")
    assert [c["text"] for c in row_2001] == ["instroom", "2001", "208,0", "178,0", "238,0", "nee"]
    sizes = charts.charts_for("program_growth", program_rows())[1]
    assert {c["text"] for r in charts.chart_view(sizes, 1)["rows"] for c in r[2:3]} == {"4", "16", "10", "8", "19", "1"}


def test_audit_and_benchmark_charts_fit_and_use_words():
    audit = charts.charts_for("audit_outcomes", all_marts()["audit_outcomes"])[0]
    assert audit.spec["encoding"]["y"]["field"] == "ronde" and "column" not in audit.spec["encoding"]
    bench = charts.charts_for("institution_growth", institution_rows())[0]
    assert {v["reeks"] for v in bench.rows} == {"havo en vwo instroom"}
    assert bench.spec["encoding"]["x"]["title"] == "groei % t.o.v. 2000"
