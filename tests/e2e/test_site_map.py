"""The map page of regional_growth (issue 20, item 5) in headless Debian chromium, at a laptop's and a phone's
width: the choropleth drawn (12 provinces, each coloured as choropleth.fill says, suppressed ones hatched),
the table beside it equal to data.csv for every choice of sector, measure and year, the province's figures on
hover and on keyboard focus, the `onbekend` row in the table and in the note (not on the map), no console
errors, no request outside the publication, no sideways page scroll, no English.

Two publications: a synthetic one (tests/unit/test_site_map.py's write_publication, with the map declared
in-process); and the shipped sample's (`sample_run`)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from pipelines.publishing import choropleth
from pipelines.publishing import site as site_module
from pipelines.publishing.texts_nl import code_label
from tests.e2e.browser import from_page, open_page
from tests.e2e.test_site_pages import LAPTOP, OVERFLOW_JS, PHONE, VISIBLE_TEXT_JS, english_in
from tests.unit.test_site_map import MART, declared_map, write_publication

# The map as drawn: per province its fill, whether it is marked suppressed, its aria-label; the tooltip.
MAP_JS = """() => ({
  paths: Array.from(document.querySelectorAll('#kaart svg path[data-code]')).map(p => ({
    code: p.dataset.code, fill: p.getAttribute('fill'), suppressed: p.dataset.suppressed,
    label: p.getAttribute('aria-label'), focusable: p.getAttribute('tabindex') === '0'})),
  pattern: document.querySelector('pattern#arcering') !== null,
  note: document.getElementById('kaart-onbekend').hidden ? null : document.getElementById('kaart-onbekend').textContent,
  legend: Array.from(document.querySelectorAll('#kaart-legenda li[data-klasse]')).map(li => li.textContent.trim()),
})"""
MAP_TABLE_JS = """() => {
  const t = document.querySelector('table.kaart-tabel');
  return {header: Array.from(t.querySelectorAll('thead th')).map(th => th.dataset.column),
          rows: Array.from(t.querySelectorAll('tbody tr')).map(tr => ({code: tr.dataset.code,
            cells: Array.from(tr.children).map(td => { const c = td.cloneNode(true);
              c.querySelectorAll('abbr[title="voorlopig cijfer"]').forEach(a => a.remove()); return c.textContent.trim(); }),
            provisional: tr.querySelector('abbr[title="voorlopig cijfer"]') !== null,
            href: (tr.querySelector('a[title="herkomst van dit cijfer"]') || {getAttribute: () => null}).getAttribute('href')}))};
}"""


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def choose(page, selection: dict[str, str], decl: dict) -> None:
    """Pick a map in the form, list by list (each list offers what the lists before it allow)."""
    for column in [*decl["by"], decl["year"]]:
        page.select_option(f"#kaart-keuze select[data-column='{column}']", selection[column])
    page.wait_for_selector("body[data-kaart='ready']")


def check_map(page, rows: list[dict], metadata: dict, decl: dict, selection: dict[str, str]) -> list[dict]:
    """The map and the table of one choice against data.csv; returns the chosen rows."""
    chosen = choropleth.selected(rows, decl, selection)
    assert chosen, selection
    sc = choropleth.scales(rows, decl)["\u001f".join(selection[c] for c in decl["by"])]
    drawn = page.evaluate(MAP_JS)
    on_map = {r[decl["area"]]: r for r in chosen if r[decl["area"]] in choropleth.area_ids()}
    assert [p["code"] for p in drawn["paths"]] == list(choropleth.area_order())  # the 12, in the seed's order
    for p in drawn["paths"]:
        row = on_map.get(p["code"])
        assert p["fill"] == choropleth.fill(row, decl, sc), (selection, p, row)
        assert p["focusable"]
        suppressed = row is not None and row[decl["suppression"]] == "c"
        assert p["suppressed"] == ("true" if suppressed else "false")
        if row is not None:
            assert row[decl["name"]] in p["label"]
            if not suppressed and row[decl["value"]]:
                assert site_module.display(decl["value"], row[decl["value"]], {"type": "DECIMAL"}) in p["label"]
    assert drawn["pattern"]
    assert drawn["legend"] == sc["labels"]
    off = [r for r in chosen if r[decl["area"]] not in choropleth.area_ids()]
    if off:
        assert drawn["note"] and all(code_label(r[decl["name"]]) in drawn["note"] for r in off)
    else:
        assert drawn["note"] is None
    # The table beside the map: the same rows, every cell equal to data.csv in Dutch notation.
    table = page.evaluate(MAP_TABLE_JS)
    assert table["header"] == site_module.map_table_columns(decl, list(rows[0]))
    assert [t["code"] for t in table["rows"]] == [r[decl["area"]] for r in chosen]
    grain = metadata["grain"]
    for t, r in zip(table["rows"], chosen):
        for column, shown in zip(table["header"], t["cells"]):
            if column == decl["suppression"] and r[column] == "c":
                assert shown == "c"
            else:
                from_page(shown, r[column])
        assert t["provisional"] == (r[decl["provisional"]] == "true" and bool(r[decl["value"]]))
        assert t["href"] == f"{site_module.lineage_file(r, site_module.part_columns(metadata))}#" \
                            f"{site_module.figure_anchor(r, grain)}"
    return chosen


def selections(rows: list[dict], decl: dict, all_years: bool) -> list[dict[str, str]]:
    out = []
    for key in choropleth.combinations(rows, decl):
        years = choropleth.years_of(rows, decl, key)
        for year in (years if all_years else sorted({years[0], years[len(years) // 2], years[-1]}, key=int)):
            out.append({**dict(zip(decl["by"], key)), decl["year"]: year})
    return out


def check_map_page(browser, publish: Path, mart: str, viewport: dict, all_years: bool) -> None:
    """Everything the map page of `mart`'s current version must show, at one width."""
    catalog = json.loads((publish / "catalog.json").read_text(encoding="utf-8"))["marts"]
    entry = catalog[mart]
    rows = csv_rows(publish / mart / entry["version"] / "data.csv")
    metadata = json.loads((publish / mart / entry["version"] / "metadata.json").read_text(encoding="utf-8"))
    decl = choropleth.declaration(mart)
    page_path = publish / "site" / mart / entry["version"] / choropleth.MAP_PAGE
    assert 'href="kaart.html"' in (page_path.parent / "index.html").read_text(encoding="utf-8")
    assert f'href="{mart}/{entry["version"]}/kaart.html"' in (publish / "site" / "index.html").read_text(encoding="utf-8")
    opened = open_page(browser, uri(page_path), uri(publish), viewport=viewport)
    page = opened.page
    page.wait_for_selector("body[data-kaart='ready']")
    first = choropleth.default_selection(rows, decl)
    check_map(page, rows, metadata, decl, first)
    problems = []
    for selection in selections(rows, decl, all_years):
        choose(page, selection, decl)
        check_map(page, rows, metadata, decl, selection)
        size = page.evaluate(OVERFLOW_JS)
        if size["scrollWidth"] > size["innerWidth"]:
            problems.append(f"{selection}: page scrolls sideways ({size})")
    problems += english_in(page.evaluate(VISIBLE_TEXT_JS))
    assert not problems, "\n".join(problems[:20])
    # The table fits the phone: it does not scroll inside its container either.
    assert page.evaluate("() => { const t = document.querySelector('table.kaart-tabel');"
                         " return t.offsetWidth <= t.parentNode.clientWidth; }")

    # Hover and keyboard focus show the province's name, count, growth and provisional mark.
    choose(page, first, decl)
    chosen = {r[decl["area"]]: r for r in choropleth.selected(rows, decl, first)}
    shown_rows = [code for code in choropleth.area_order() if code in chosen and chosen[code][decl["suppression"]] != "c"]
    target = "PV26" if "PV26" in shown_rows else shown_rows[0]  # Utrecht: compact, nothing over its centre
    page.hover(f"#kaart path[data-code='{target}']")
    tip = page.locator("#kaart-tip")
    assert tip.is_visible() and tip.get_attribute("data-code") == target
    check_tip(tip.inner_text(), chosen[target], decl)
    assert page.locator(f"table.kaart-tabel tr.actief[data-code='{target}']").count() == 1
    page.mouse.move(0, 0)
    assert not tip.is_visible()
    page.focus(f"#kaart-keuze select[data-column='{decl['year']}']")
    page.keyboard.press("Tab")
    codes = list(choropleth.area_order())
    assert page.evaluate("document.activeElement.dataset.code") == codes[0]
    assert tip.is_visible() and tip.get_attribute("data-code") == codes[0]
    if codes[0] in chosen:
        check_tip(tip.inner_text(), chosen[codes[0]], decl)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.code") == codes[1]
    # The focused province is in view and the tooltip inside the map's box (no sideways scroll).
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # A growth figure in the table links to its lineage section, drawn by tables.js.
    page.locator("table.kaart-tabel tbody a[title='herkomst van dit cijfer']").first.click()
    page.wait_for_selector("body[data-lineage='shown']")
    assert "/lineage/" in page.url and "#f-" in page.url
    assert opened.errors == [] and opened.outside == [], (opened.errors, opened.outside)
    page.close()


def check_tip(text: str, row: dict, decl: dict) -> None:
    assert row[decl["name"]] in text
    if row[decl["suppression"]] == "c":
        assert "geheim" in text
        return
    assert site_module.display(decl["value"], row[decl["value"]], {"type": "DECIMAL"}) in text
    growth = row[decl["colour"]]
    if growth:
        assert site_module.display(decl["colour"], growth, {"type": "DECIMAL"}).lstrip("-") in text
    else:
        assert "geen groeicijfer" in text
    assert ("voorlopig" in text) == (row[decl["provisional"]] == "true")


# --- a synthetic publication (runs before the mart exists) -----------------------------------------------------

@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    publish = write_publication(tmp_path_factory.mktemp("kaart") / "published")
    with declared_map():
        site_module.update_site(publish)
    return publish


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_the_map_page_of_a_synthetic_publication(synthetic, browser, viewport):
    with declared_map():
        check_map_page(browser, synthetic, MART, viewport, all_years=viewport is LAPTOP)


def test_suppressed_provinces_are_hatched_and_unknown_is_beside_the_map(synthetic, browser):
    with declared_map():
        decl = choropleth.declaration(MART)
    entry = json.loads((synthetic / "catalog.json").read_text(encoding="utf-8"))["marts"][MART]
    opened = open_page(browser, uri(synthetic / "site" / MART / entry["version"] / choropleth.MAP_PAGE), uri(synthetic))
    page = opened.page
    page.wait_for_selector("body[data-kaart='ready']")
    choose(page, {"sector": "mbo", "measure": "instroom", "year": "2005"}, decl)
    fills = {p["code"]: p["fill"] for p in page.evaluate(MAP_JS)["paths"]}
    assert fills["PV24"] == fills["PV29"] == "url(#arcering)"  # Flevoland (primary), Zeeland (secondary)
    assert list(fills.values()).count("url(#arcering)") == 2
    legend = page.locator("#kaart-legenda").inner_text()
    assert "geheim" in legend and "voorlopig" in legend and "geen groeicijfer" in legend
    page.hover("#kaart path[data-code='PV24']")
    assert "geheim" in page.locator("#kaart-tip").inner_text()
    note = page.locator("#kaart-onbekend").inner_text()
    assert "onbekend" in note and "niet vast te stellen" in note
    # A series without baseline: its province grey, "geen groeicijfer".
    choose(page, {"sector": "wo", "measure": "uitstroom", "year": "2003"}, decl)
    fills = {p["code"]: p["fill"] for p in page.evaluate(MAP_JS)["paths"]}
    assert fills["PV22"] == choropleth.NO_FIGURE
    assert "geen groeicijfer" in page.locator("#kaart path[data-code='PV22']").get_attribute("aria-label")
    assert opened.errors == []
    page.close()


def test_the_map_page_without_javascript_shows_the_first_table(synthetic):
    entry = json.loads((synthetic / "catalog.json").read_text(encoding="utf-8"))["marts"][MART]
    html = (synthetic / "site" / MART / entry["version"] / choropleth.MAP_PAGE).read_text(encoding="utf-8")
    assert html.count("<tr data-code=") == 13 and 'class="zonder-script note"' in html
    assert re.search(r'<form id="kaart-keuze"[^>]* hidden>', html)


def test_the_geometry_is_in_the_site_once(synthetic):
    files = [p for p in (synthetic / "site").rglob("*") if p.is_file()]
    assert [p.relative_to(synthetic / "site").as_posix() for p in files if p.name == choropleth.GEOMETRY_SCRIPT] == \
        [f"static/{choropleth.GEOMETRY_SCRIPT}"]
    assert not [p for p in files if p.suffix == ".svg"]


# --- the shipped sample ---------------------------------------------------------

@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_the_map_page_of_the_sample(sample_run, browser, viewport):
    publish = sample_run / "published"
    marts = json.loads((publish / "catalog.json").read_text(encoding="utf-8"))["marts"]
    assert MART in marts
    assert choropleth.declaration(MART) is not None
    check_map_page(browser, publish, MART, viewport, all_years=False)
