"""The charts of the shipped sample's publication in a real browser (Debian chromium through Playwright),
on a desktop (1366 x 900) and a phone (390 x 844): every chart of the index and of every current mart
page is drawn with marks and without console errors, no chart is wider than the screen, and what the
charts show in words is Dutch (no codes), with the provisional figures, the targets with their year and
the group sizes of the program charts.

Uses the session fixtures `sample_run` (one cold run of raw/, read only) and `browser`
(tests/e2e/conftest.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipelines.dbt_settings import mart_declarations
from tests.e2e.browser import check_charts, open_page

VIEWPORTS = {"desktop": (1366, 900), "phone": (390, 844)}
CODE = re.compile(r"\b(ANY|non_participants|participants|all schools|share_women|share_n_profiel|havo_vwo|"
                  r"[a-z]+_excl_informatica|uitstroom_tl)\b")

# What each chart drew, per chart: the svg's width and right edge, the texts in it (axes, legends, labels).
CHARTS_JS = """() => Array.from(document.querySelectorAll('figure.chart div.vis')).map(vis => {
  const svg = vis.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: -1, right: -1};
  return {id: vis.id, width: box.width, right: box.right,
          texts: svg ? Array.from(svg.querySelectorAll('text')).map(t => t.textContent) : []};
})"""


def current_pages(publish: Path) -> list[tuple[str, Path]]:
    marts = json.loads((publish / "catalog.json").read_text(encoding="utf-8"))["marts"]
    pages = [("index", publish / "site" / "index.html")]
    pages += [(mart, publish / "site" / mart / entry["version"] / "index.html") for mart, entry in sorted(marts.items())]
    return pages


def open_at(browser, page: Path, publish: Path, size: tuple[int, int]):
    opened = open_page(browser, page.resolve().as_uri(), publish.resolve().as_uri())
    opened.page.set_viewport_size({"width": size[0], "height": size[1]})
    opened.page.reload()  # drawn again at this width (the charts take their container's width when drawn)
    opened.page.wait_for_load_state("load")
    return opened


@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_every_chart_is_drawn_within_the_screen_in_dutch(sample_run, browser, screen):
    publish = sample_run / "published"
    width, height = VIEWPORTS[screen]
    seen: dict[str, list[str]] = {}
    n_charts = 0
    for mart, page in current_pages(publish):
        opened = open_at(browser, page, publish, (width, height))
        try:
            n = check_charts(opened)  # every chart rendered, with marks, a summary and its data table
            assert n >= 1 or "map" in mart_declarations()[mart], mart  # a map mart: tests/e2e/test_site_map.py
            drawn = opened.page.evaluate(CHARTS_JS)
            assert len(drawn) == n, mart
            viewport = opened.page.evaluate("document.documentElement.clientWidth")
            assert viewport <= width
            for chart in drawn:
                assert 0 < chart["width"] <= viewport, (screen, mart, chart["id"], chart["width"], viewport)
                assert chart["right"] <= viewport + 0.5, (screen, mart, chart["id"], chart["right"], viewport)
                codes = [t for t in chart["texts"] if CODE.search(t)]
                assert not codes, (mart, chart["id"], codes)
            seen[mart] = [t for chart in drawn for t in chart["texts"]]
            assert opened.errors == [], (screen, mart, opened.errors)
            assert opened.outside == [], (screen, mart, opened.outside)
            n_charts += n
        finally:
            opened.page.close()
    assert n_charts >= 20
    # What a statistician must see, in words in the charts themselves.
    sector = seen["sector_growth"]
    assert "doel 2007: +15%" in sector and "doel 2010: +15%" in sector
    assert "doel 2007: +15%" in seen["index"]  # the overview: instroom of every sector against its targets
    assert "ho (hbo en wo)" in seen["index"] and "havo en vwo" in seen["index"]
    program = seen["program_growth"]
    assert "niet-deelnemers, instroom" in program and "instellingen" in program
    provisional = [t for texts in seen.values() for t in texts if t.startswith("voorlopig cijfer")]
    assert provisional, "no chart legend names the provisional figures"


def test_charts_show_the_masking_band_and_the_shrinking_comparison_group(sample_run, browser):
    """The sector page draws a band (an area) where cells are masked; the program page's group-size
    charts show the non-participant group shrinking (its table under the chart says by how much)."""
    publish = sample_run / "published"
    pages = dict(current_pages(publish))
    opened = open_at(browser, pages["sector_growth"], publish, VIEWPORTS["desktop"])
    try:
        check_charts(opened)
        areas = opened.page.locator("figure.chart svg .mark-area path").count()
        specs = [json.loads(s) for s in opened.page.locator("script.chart-spec").all_text_contents()]
        banded = sum(1 for s in specs for layer in s.get("layer", []) if layer.get("mark", {}).get("type") == "area")
        assert banded >= 1 and areas >= banded
        assert opened.errors == []
    finally:
        opened.page.close()
    opened = open_at(browser, pages["program_growth"], publish, VIEWPORTS["phone"])
    try:
        check_charts(opened)
        titles = opened.page.locator("figure.chart figcaption").all_text_contents()
        sizes = [i for i, t in enumerate(titles) if t.endswith("aantal instellingen per groep")]
        assert sizes and len(sizes) * 2 == len(titles)
        shrinking = 0
        for i in sizes:
            rows = opened.page.locator("figure.chart").nth(i).locator("table.chart-data tbody tr")
            cells = [rows.nth(j).locator("td").all_text_contents() for j in range(rows.count())]
            non = [int(c[2].replace(".", "")) for c in cells if c[0].startswith("niet-deelnemers")]
            if non and non[-1] < non[0]:
                shrinking += 1
        assert shrinking >= 1
        assert opened.errors == []
    finally:
        opened.page.close()
