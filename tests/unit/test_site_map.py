"""The map page of regional_growth (issue 20, item 5): the geometry shipped with its licence, the provinces
matched to the SVG paths through the seed, the diverging colour scale, the table beside the map, and the
page written for a synthetic publication. Fast: no job run, no browser (tests/e2e/test_site_map.py opens
the same synthetic publication, and the sample's, in chromium).

`write_publication` builds a published version of regional_growth with the mart's columns (3 sectors, the
12 provinces and `onbekend`, 2000-2007, suppressed, provisional and baseline-less figures) and its catalog;
`declared_map` makes the mart declare its map while the real declaration is not in _marts.yml yet."""

from __future__ import annotations

import contextlib
import csv
import json
import re
from pathlib import Path

import pytest

from pipelines.dbt_settings import seed_rows
from pipelines.publishing import choropleth, site
from pipelines.publishing.texts_nl import nl_number

MART = "regional_growth"
VERSION = "2009-03-16_abcdef012345"
COLUMNS_CSV = ["sector", "measure", "provincie", "provincie_code", "year", "value", "value_low", "value_high",
               "n_masked_cells", "baseline_year", "baseline_value", "index", "growth_pct", "suppression",
               "suppression_reason", "is_provisional"]
GRAIN = ["sector", "measure", "provincie", "year"]
DECIMAL, INTEGER = "DECIMAL(18,1)", "INTEGER"
COLUMN_META = {  # name: (type, unit, role, label)
    "sector": ("VARCHAR", "code", "filter", "Sector"), "measure": ("VARCHAR", "code", "filter", "Stroom"),
    "provincie": ("VARCHAR", "text", "filter", "Provincie"),
    "provincie_code": ("VARCHAR", "code", "filter", "Provinciecode"),
    "year": (INTEGER, "year", "filter", "Jaar"), "value": (DECIMAL, "persons", "indicator", "Aantal (puntschatting)"),
    "value_low": (DECIMAL, "persons", "indicator", "Aantal (ondergrens)"),
    "value_high": (DECIMAL, "persons", "indicator", "Aantal (bovengrens)"),
    "n_masked_cells": (INTEGER, "cells", "indicator", "Afgeschermde cellen"),
    "baseline_year": (INTEGER, "year", "indicator", "Basisjaar"),
    "baseline_value": (DECIMAL, "persons", "indicator", "Aantal in het basisjaar"),
    "index": (DECIMAL, "index", "indicator", "Index (basisjaar = 100)"),
    "growth_pct": (DECIMAL, "percent", "indicator", "Groei (%)"),
    "suppression": ("VARCHAR", "symbol", "indicator", "Geheimhouding"),
    "suppression_reason": ("VARCHAR", "text", "indicator", "Reden geheimhouding"),
    "is_provisional": ("BOOLEAN", "boolean", "indicator", "Voorlopig"),
}
MAP_DECLARATION = {"by": ["sector", "measure"], "area": "provincie_code", "name": "provincie",
                   "colour": "growth_pct", "value": "value", "title": "Groei per provincie",
                   "default": {"sector": "wo", "measure": "instroom"}}
SERIES = [("wo", "instroom"), ("wo", "uitstroom"), ("mbo", "instroom"), ("ho", "instroom_excl_informatica")]
YEARS = range(2000, 2008)
PRIMARY = "primary: rests on fewer than 10 persons"
SECONDARY = "secondary: protects another suppressed figure from differencing"


def _d(x: float) -> str:
    return f"{x:.1f}"


def synthetic_rows() -> list[dict]:
    """regional_growth as the mart publishes it (columns and order of the brief): every series has the 12
    provinces of the seed and the stated `onbekend` row. mbo Flevoland and Zeeland are suppressed
    (primary, then secondary); wo uitstroom Drenthe has no baseline year; 2007 is provisional; the values
    make growth from -60% to +90%, so the scale has every class."""
    provinces = [(r["provincie"], r["provincie_code"]) for r in seed_rows("provinces")] + [("onbekend", "onbekend")]
    out = []
    for s, (sector, measure) in enumerate(SERIES):
        for p, (name, code) in enumerate(provinces):
            base = 100.0 + 40 * p + 10 * s
            slope = (-0.6 + 1.5 * ((p * 5 + s * 3) % 13) / 12) / 7  # growth in 2007 from -60% to +90%
            for year in YEARS:
                value = round(base * (1 + slope * (year - 2000)), 1)
                row = {"sector": sector, "measure": measure, "provincie": name, "provincie_code": code,
                       "year": str(year), "value": _d(value), "value_low": _d(value - 2), "value_high": _d(value + 1),
                       "n_masked_cells": "1", "baseline_year": "2000", "baseline_value": _d(base),
                       "index": _d(round(100 * value / base, 1)), "growth_pct": _d(round(100 * value / base, 1) - 100),
                       "suppression": "", "suppression_reason": "", "is_provisional": str(year == 2007).lower()}
                if sector == "mbo" and name in ("Flevoland", "Zeeland"):
                    row.update({k: "" for k in ("value", "value_low", "value_high", "n_masked_cells", "baseline_value",
                                                "index", "growth_pct")},
                               suppression="c", suppression_reason=PRIMARY if name == "Flevoland" else SECONDARY)
                if (sector, measure, name) == ("wo", "uitstroom", "Drenthe"):
                    if year == 2000:
                        continue  # no data in the baseline year: the series publishes its values without growth
                    row.update(baseline_value="", index="", growth_pct="")
                out.append(row)
    return out


def synthetic_metadata(rows: list[dict]) -> dict:
    return {"mart": MART, "grain": GRAIN, "row_count": len(rows), "as_of": "2009-03-16",
            "title_nl": "Groei per provincie", "description_nl": "Groei in bèta/techniek per provincie. Bron: DUO.",
            "columns": [{"name": n, "type": t, "unit": u, "role": role, "label": label, "description_nl": label + "."}
                        for n, (t, u, role, label) in COLUMN_META.items()],
            "footnotes": [], "inputs": [], "code_version": {"git_commit": "abc"},
            "quality_gate": {"success": True, "evaluated_expectations": 10, "failed_expectations": []}}


def write_publication(publish: Path, rows: list[dict] | None = None) -> Path:
    """A publish directory with one version of regional_growth (data.csv, metadata.json) and its catalog."""
    rows = synthetic_rows() if rows is None else rows
    folder = publish / MART / VERSION
    folder.mkdir(parents=True)
    with (folder / "data.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS_CSV, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (folder / "metadata.json").write_text(json.dumps(synthetic_metadata(rows)), encoding="utf-8")
    entry = {"version": VERSION, "history": [VERSION], "as_of": "2009-03-16",
             "csv": f"{MART}/{VERSION}/data.csv", "metadata": f"{MART}/{VERSION}/metadata.json",
             "current_since": {"run_id": "r1"}}
    (publish / "catalog.json").write_text(json.dumps({"catalog_format": 1, "marts": {MART: entry}}), encoding="utf-8")
    return publish


@contextlib.contextmanager
def declared_map(declaration: dict | None = None):
    """regional_growth declares MAP_DECLARATION (or `declaration`), for code that reads the declarations;
    the real ones are put back afterwards (usable where monkeypatch is not: module fixtures)."""
    real = choropleth.mart_declarations
    choropleth.mart_declarations = lambda: {**real(), MART: {"grain": GRAIN, "headline": "growth_pct",
                                                             "map": declaration or MAP_DECLARATION}}
    try:
        yield
    finally:
        choropleth.mart_declarations = real


# --- the geometry and its licence --------------------------------------------------------------------------------

def test_the_geometry_has_the_twelve_provinces_of_the_seed_and_its_licence():
    geo = choropleth.geometry()
    assert geo["viewBox"] == "0 0 613 724"
    ids = choropleth.area_ids()
    assert len(ids) == 12 and sorted(ids.values()) == sorted(geo["paths"])
    assert all(re.fullmatch(r"[mM][-0-9., mlhvczMLHVCZ]+", d) for d in geo["paths"].values())
    licence = choropleth.licence_text()
    assert "Attribution 4.0 International" in licence
    notice = (choropleth.STATIC / "netherlands.BRON.md").read_text(encoding="utf-8")
    for needed in ("Zubayer Rahman", "https://github.com/VictorCazanave/svg-maps", "CC BY 4.0", "netherlands.LICENSE.md"):
        assert needed in notice


def test_the_compact_paths_are_the_shipped_shapes_within_half_a_unit():
    original, compact = choropleth.original_geometry(), choropleth.geometry()
    assert list(compact["paths"]) == list(original["paths"]) and compact["viewBox"] == original["viewBox"]
    for key, d in original["paths"].items():
        before, after = choropleth.rings(d), choropleth.rings(compact["paths"][key])
        assert len(before) == len(after), key
        for ring, small in zip(before, after):
            kept = iter(small)
            point = next(kept)
            for x, y in ring:  # every original point is within half a unit of its kept (rounded) point
                if (round(x), round(y)) != point:
                    point = next(kept)
                assert point == (round(x), round(y)) and abs(point[0] - x) <= 0.5 and abs(point[1] - y) <= 0.5
            assert next(kept, None) is None
    assert sum(map(len, compact["paths"].values())) < 0.45 * sum(map(len, original["paths"].values()))
    with pytest.raises(ValueError):
        choropleth.rings("M 1,1 L 2,2 z")


def test_the_geometry_script_sets_the_paths_and_names_source_and_licence():
    text = choropleth.geometry_script(site.json_for_script)
    head, _, body = text.partition("window.betamonitorProvincies = ")
    for needed in ("Zubayer Rahman", "CC BY 4.0", "https://github.com/VictorCazanave/svg-maps",
                   "https://creativecommons.org/licenses/by/4.0/", "afgerond"):
        assert needed in head
    assert json.loads(body.rstrip().rstrip(";")) == choropleth.geometry()


def test_rows_go_to_their_paths_through_the_seed_and_onbekend_last():
    rows = [{"provincie_code": c} for c in ("onbekend", "PV31", "PV21", "PV20")]
    assert [r["provincie_code"] for r in choropleth.row_order(rows, "provincie_code")] == ["PV20", "PV21", "PV31", "onbekend"]
    ids = choropleth.area_ids()
    assert ids["PV21"] == "fr" and ids["PV30"] == "nb" and "onbekend" not in ids
    assert [r["provincie_code"] for r in seed_rows("provinces")] == list(choropleth.area_order())


# --- the colour scale ---------------------------------------------------------------------------------------------

def test_the_scale_is_symmetric_in_nice_steps_and_classes_count_thresholds():
    sc = choropleth.scale(["-4.0", "37.0", "", "12.5"])
    assert sc["step"] == 10 and sc["thresholds"] == [-30, -20, -10, 10, 20, 30]
    assert sc["labels"][0] == "minder dan -30%" and sc["labels"][3] == "-10% tot +10%" and sc["labels"][6] == "+30% of meer"
    assert [choropleth.colour_class(g, sc) for g in ("-30.1", "-30.0", "-10.0", "0.0", "9.9", "10.0", "37.0", "")] == \
        [0, 1, 3, 3, 3, 4, 6, None]
    assert choropleth.scale([])["step"] == 1 and choropleth.scale(["0.0"])["thresholds"][3] == 1
    assert choropleth.nice_step(90) == 25 and choropleth.nice_step(2.1) == 1 and choropleth.nice_step(4.1) == 2
    assert choropleth.nice_step(1e6) == 1e6  # beyond the list: a power of ten with 4 steps >= the largest
    assert len(set(sc["colours"])) == 7 and choropleth.NO_FIGURE not in sc["colours"]


def test_the_fill_of_a_province():
    decl = {**choropleth.MAP_DEFAULTS}
    sc = choropleth.scale(["-40.0", "40.0"])
    assert choropleth.fill({"growth_pct": "", "suppression": "c"}, decl, sc) == choropleth.HATCH
    assert choropleth.fill({"growth_pct": "", "suppression": ""}, decl, sc) == choropleth.NO_FIGURE
    assert choropleth.fill(None, decl, sc) == choropleth.NO_FIGURE
    assert choropleth.fill({"growth_pct": "-40.0", "suppression": ""}, decl, sc) == choropleth.COLOURS[0]
    assert choropleth.fill({"growth_pct": "0.0", "suppression": ""}, decl, sc) == choropleth.COLOURS[3]


def test_one_scale_per_sector_and_measure_from_the_provinces_on_the_map():
    rows = synthetic_rows()
    with declared_map():
        decl = choropleth.declaration(MART)
    scales = choropleth.scales(rows, decl)
    assert sorted(scales) == sorted("\u001f".join(s) for s in SERIES)
    wo = [abs(float(r["growth_pct"])) for r in rows if (r["sector"], r["measure"]) == ("wo", "instroom")
          and r["provincie_code"] != "onbekend"]
    assert scales["wo\u001finstroom"]["step"] == choropleth.nice_step(max(wo))


# --- the declaration ---------------------------------------------------------------------------------------------

def test_only_a_declared_mart_with_the_columns_gets_a_map():
    rows = synthetic_rows()
    assert choropleth.declaration("sector_growth") is None
    with declared_map({"by": ["sector", "measure"]}):
        decl = choropleth.declaration(MART)
    assert decl["area"] == "provincie_code" and decl["colour"] == "growth_pct" and decl["title"] == "Groei per provincie"
    assert choropleth.usable(decl, rows)
    assert not choropleth.usable(decl, [{k: v for k, v in rows[0].items() if k != "provincie_code"}])
    assert not choropleth.usable(None, rows) and not choropleth.usable(decl, [])


def test_the_first_map_is_the_declared_default_in_its_latest_year():
    rows = synthetic_rows()
    with declared_map():
        decl = choropleth.declaration(MART)
    assert choropleth.default_selection(rows, decl) == {"sector": "wo", "measure": "instroom", "year": "2007"}
    with declared_map({"by": ["sector", "measure"], "default": {"sector": "vmbo", "measure": "x"}}):
        decl = choropleth.declaration(MART)
    assert choropleth.default_selection(rows, decl) == {"sector": "wo", "measure": "instroom", "year": "2007"}
    chosen = choropleth.selected(rows, decl, {"sector": "mbo", "measure": "instroom", "year": "2003"})
    assert len(chosen) == 13 and chosen[-1]["provincie"] == "onbekend" and chosen[0]["provincie_code"] == "PV20"


# --- the page ----------------------------------------------------------------------------------------------------

def test_the_table_beside_the_map_shows_the_published_figures():
    rows = synthetic_rows()
    meta = synthetic_metadata(rows)
    with declared_map():
        decl = choropleth.declaration(MART)
    chosen = choropleth.selected(rows, decl, {"sector": "mbo", "measure": "instroom", "year": "2007"})
    view = site.map_table_view(chosen, meta, decl, "x")
    assert [c["name"] for c in view["columns"]] == ["provincie", "value", "growth_pct", "suppression"]
    assert [c["label"] for c in view["columns"]] == ["Provincie", "Aantal (puntschatting)", "Groei (%)", "Geheimhouding"]
    by_name = {r["cells"][0]["text"]: r for r in view["rows"]}
    assert list(by_name)[-1] == "onbekend" and len(by_name) == 13
    flevoland = by_name["Flevoland"]["cells"]
    assert flevoland[1]["text"] == "–" and flevoland[3]["c"] and not flevoland[1]["prov"]
    groningen = next(r for r in chosen if r["provincie"] == "Groningen")
    cells = by_name["Groningen"]["cells"]
    assert cells[1]["text"] == nl_number(groningen["value"]) and cells[2]["text"] == nl_number(groningen["growth_pct"])
    assert cells[1]["prov"] and cells[2]["prov"]  # 2007 is provisional
    assert cells[2]["href"] == f"{site.lineage_file(groningen, ['sector'])}#{site.figure_anchor(groningen, GRAIN)}"


def test_the_map_page_is_written_with_its_choices_table_legend_and_source(tmp_path):
    publish = write_publication(tmp_path / "published")
    out = tmp_path / "out"
    with declared_map():
        site.render_version(publish, MART, VERSION, None, out)
    html = (out / choropleth.MAP_PAGE).read_text(encoding="utf-8")
    version_page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="kaart.html"' in version_page and "Kaart per provincie" in version_page
    assert '<html lang="nl">' in html and "<!--melding--><!--/melding-->" in html
    # choices: sector (wo first, as declared), measure of that sector, the years with the latest chosen
    assert re.search(r'<select name="sector" data-column="sector"><option value="wo" selected>wo</option>'
                     r'<option value="mbo">mbo</option><option value="ho">ho \(hbo en wo\)</option></select>', html)
    assert '<option value="instroom" selected>instroom</option><option value="uitstroom">uitstroom</option></select>' in html
    assert '<option value="2007" selected>2007</option></select>' in html
    # the first map's table: 12 provinces and onbekend, the growth linking to its lineage
    table = html[html.index('<table class="kaart-tabel">'):html.index("</table>")]
    assert table.count("<tr data-code=") == 13 and 'data-code="onbekend"' in table
    assert table.count('title="herkomst van dit cijfer"') == 13
    assert re.search(r'<th scope="row">Fryslân</th>', table)
    # the hatch pattern and its legend, the diverging colours, the provisional mark
    assert 'id="arcering"' in html and html.count('fill="url(#arcering)"') == 1
    for colour in choropleth.COLOURS:
        assert f"background: {colour}" in html
    # the source and the licence, offline
    assert "Zubayer Rahman" in html and "CC BY 4.0" in html and "netherlands.LICENSE.md" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)
    for script in ("cijfers.js", "../../static/tables.js", "../../static/provincies.js", "../../static/kaart.js"):
        assert f'<script src="{script}"></script>' in html
    config = json.loads(re.search(r'<script type="application/json" id="kaart-config">(.*?)</script>', html, re.S).group(1))
    assert config["areas"] == choropleth.area_ids() and config["first"] == {"sector": "wo", "measure": "instroom", "year": "2007"}
    assert config["names"]["PV21"] == "Fryslân"


def test_a_mart_without_a_map_declaration_gets_no_map_page(tmp_path, monkeypatch):
    publish = write_publication(tmp_path / "published")
    out = tmp_path / "out"
    monkeypatch.setattr(choropleth, "mart_declarations", lambda: {MART: {"grain": GRAIN, "headline": "growth_pct"}})
    site.render_version(publish, MART, VERSION, None, out)
    assert not (out / choropleth.MAP_PAGE).exists()
    assert "kaart.html" not in (out / "index.html").read_text(encoding="utf-8")


def test_names_with_markup_stay_text_on_the_map_page(tmp_path):
    rows = [dict(r, provincie="<!--<script>" if r["provincie_code"] == "onbekend" else r["provincie"])
            for r in synthetic_rows()]
    publish = write_publication(tmp_path / "published", rows)
    out = tmp_path / "out"
    with declared_map():
        site.render_version(publish, MART, VERSION, None, out)
    html = (out / choropleth.MAP_PAGE).read_text(encoding="utf-8")
    assert "<!--<script>" not in html and "&lt;!--&lt;script&gt;" in html


@pytest.mark.parametrize("name", ["kaart.js"])
def test_the_static_files_include_the_map_script_and_the_geometry(tmp_path, name, monkeypatch):
    monkeypatch.setattr(site, "vega_bundle_name", lambda: "vega-test.js")
    monkeypatch.setattr(site, "vega_bundle", lambda n: "/* vega */")
    site.ensure_static(tmp_path)
    static = tmp_path / "static"
    assert (static / name).read_text(encoding="utf-8") == site.static_text(name)
    assert (static / choropleth.GEOMETRY_SCRIPT).read_text(encoding="utf-8") == \
        choropleth.geometry_script(site.json_for_script)


def test_a_superseded_version_s_map_page_gets_the_banner(tmp_path):
    publish = write_publication(tmp_path / "published")
    out = tmp_path / "out"
    with declared_map():
        site.render_version(publish, MART, VERSION, None, out)
    before = (out / choropleth.MAP_PAGE).read_text(encoding="utf-8")
    site.mark_superseded(out, "2010-03-16_x")
    after = (out / choropleth.MAP_PAGE).read_text(encoding="utf-8")
    assert "Deze versie is vervangen" in after and 'href="../2010-03-16_x/index.html"' in after
    site.mark_superseded(out, None)
    assert (out / choropleth.MAP_PAGE).read_text(encoding="utf-8") == before
