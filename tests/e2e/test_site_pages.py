"""The whole publication of the shipped sample in a real browser, at a laptop's and a phone's width
(issue 19, parts 5 "Light" and 8 "Tests in a real browser").

- Every page a reader reaches from the index (the index, every mart's current version page, every table
  page of a large mart, a lineage section of every mart) at 1366x900 and 390x844: no horizontal page scroll (a wide table scrolls inside
  its .scroll container), no console errors, no request outside the publication, no English from a list
  of known phrases and no raw column names (snake_case) in the visible text outside <code>/<pre>; on the
  laptop, the headline column (the one that links to the lineage) is in view without scrolling.
- The site of one publication is at most 5 MB (shared static files included).
- The filterable table of institution_growth (13,000 rows, one page per sector) filters and shows the
  published numbers; every figure links to its lineage section, drawn in the browser, which says what the
  static lineage pages of the other marts say (site.lineage_section_view), with the trace command.
- After a second run with a newer delivery: the per-figure "what changed" rows and the index's list of
  changed marts as a reader sees them, and each changed figure's link lands on its lineage section, also
  when the mart is split over table pages.
- The data packages (datapackage.json per version and for the current versions, latest/) are validated
  with the frictionless library in tests/e2e/test_data_packages.py; not repeated here.

Fixtures (tests/e2e/conftest.py): `sample_run` (the shipped sample, one cold run), `small_two_publications`
(two runs of the small data, the second with a newer delivery), `browser` (headless Debian chromium).
All read only: a test that regenerates the site copies the publication first."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from pipelines.publishing import diff as mart_diff
from pipelines.publishing import site as site_module
from pipelines.publishing.texts_nl import code_label
from tests.e2e.browser import TABLES_JS, check_charts, check_tables_against_csv, open_page

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
BUDGET = 5 * 1024 * 1024

# English a reader must not meet (outside <code> and <pre>: names, paths and commands are code).
ENGLISH = ["suppressed", "not applicable", "confidential", "Published mart", "contract", "provisional",
           "participants", "What changed", "figure removed", "new year", "restated", "reason unknown", "baseline",
           "delivery", "Masked", "File not found", "`"]
SNAKE_CASE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")

# The visible text of a page: text nodes (chart text included) and the title/aria-label/alt a reader is
# given, outside <code>, <pre>, <script> and <style>.
VISIBLE_TEXT_JS = """() => {
  const skip = 'code, pre, script, style, noscript, template';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.textContent.trim() && !n.parentElement.closest(skip)) out.push(n.textContent.trim());
  }
  document.querySelectorAll('[title], [aria-label], [alt]').forEach(e => {
    if (e.closest(skip)) return;
    for (const a of ['title', 'aria-label', 'alt']) { if (e.getAttribute(a)) out.push(e.getAttribute(a)); }
  });
  return out;
}"""

# The page is no wider than the window: only a .scroll container may scroll sideways.
OVERFLOW_JS = """() => ({
  scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && !e.closest('.scroll') && r.width > 0;
  }).slice(0, 5).map(e => e.tagName + '.' + (e.getAttribute('class') || '') + ' ' + (e.id || '') + ' ' + Math.round(e.getBoundingClientRect().right))
})"""


def catalog(publish: Path) -> dict:
    return json.loads((publish / "catalog.json").read_text(encoding="utf-8"))["marts"]


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def uri(path: Path) -> str:
    return path.resolve().as_uri()


def reader_pages(publish: Path) -> list[Path]:
    """The index, every mart's current version page and every table page of those versions."""
    site = publish / "site"
    pages = [site / "index.html"]
    for mart, entry in sorted(catalog(publish).items()):
        folder = site / mart / entry["version"]
        pages += [folder / "index.html", *sorted(folder.glob("table-*.html"))]
    return pages


def wait_ready(opened) -> None:
    """Charts drawn (checked) and, on a table page, the filterable table drawn."""
    check_charts(opened)
    if opened.page.locator("#tabel-config").count():
        opened.page.wait_for_selector("body[data-table='ready'], body[data-lineage]", timeout=30000)


def english_in(texts: list[str]) -> list[str]:
    """Each English phrase or snake_case word once, with the first text it is in and how often it occurs."""
    found: dict[str, list] = {}
    for text in texts:
        for word in [p for p in ENGLISH if p in text] + SNAKE_CASE.findall(text):
            found.setdefault(word, [text, 0])[1] += 1
    return [f"{word!r} ({n}x), e.g. in {text[:150]!r}" for word, (text, n) in found.items()]


@pytest.fixture(scope="module")
def sample(sample_run) -> Path:
    return sample_run / "published"


# --- every page, at both widths ------------------------------------------------------------------------

def lineage_examples(publish: Path) -> list[str]:
    """Per mart, the URL of its first figure's lineage section (drawn in the browser)."""
    urls = []
    for mart, entry in sorted(catalog(publish).items()):
        rows = csv_rows(publish / entry["csv"])
        if rows:
            metadata = json.loads((publish / entry["metadata"]).read_text(encoding="utf-8"))
            page = publish / "site" / mart / entry["version"] / site_module.lineage_file(
                rows[0], site_module.part_columns(metadata))
            urls.append(uri(page) + "#" + site_module.figure_anchor(rows[0], metadata["grain"]))
    return urls


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1366px", "390px"])
def test_every_page_fits_the_window_is_dutch_and_has_no_errors(sample, browser, viewport):
    pages = reader_pages(sample)
    assert len(pages) >= 1 + len(catalog(sample)) + 3  # institution_growth has a table page per sector
    problems = []
    for url in [uri(p) for p in pages] + lineage_examples(sample):
        opened = open_page(browser, url, uri(sample), viewport=viewport)
        wait_ready(opened)
        where = url[len(uri(sample)) + 1:]
        if "#f-" in url:
            opened.page.wait_for_selector("body[data-lineage='shown']")
        size = opened.page.evaluate(OVERFLOW_JS)
        if size["scrollWidth"] > size["innerWidth"]:
            problems.append(f"{where}: page scrolls sideways ({size})")
        if opened.errors or opened.outside:
            problems.append(f"{where}: {opened.errors} {opened.outside}")
        problems += [f"{where}: {e}" for e in english_in(opened.page.evaluate(VISIBLE_TEXT_JS))]
        opened.page.close()
    assert not problems, "\n".join(problems[:40])


def test_the_headline_column_is_in_view_on_a_laptop(sample, browser):
    """The column that links to a figure's lineage (growth %, share %, ...) is visible without scrolling
    the page or the table, on every page with a figures table."""
    checked = 0
    for path in reader_pages(sample):
        opened = open_page(browser, uri(path), uri(sample), viewport=LAPTOP)
        wait_ready(opened)
        box = opened.page.evaluate("""() => {
          const a = document.querySelector('table.figures tbody a[title="herkomst van dit cijfer"]');
          if (!a) return null;
          const r = a.getBoundingClientRect();
          return {right: r.right, left: r.left, width: window.innerWidth};
        }""")
        if box is not None:
            assert 0 <= box["left"] and box["right"] <= box["width"], (path, box)
            checked += 1
        opened.page.close()
    assert checked >= 5


def test_one_publication_is_at_most_5_mb(sample):
    site = sample / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    per_mart = {d.name: sum(p.stat().st_size for p in d.rglob("*") if p.is_file()) for d in site.iterdir() if d.is_dir()}
    assert total <= BUDGET, f"{total / 1e6:.1f} MB in {len(files)} files: {per_mart}"
    # Shared static files live once, not per version.
    assert not [p for p in files if p.name in ("site.css", "site.js", "tables.js") and p.parent != site / "static"]
    assert not [p for p in files if p.name.startswith("vega-") and p.parent != site / "static"]
    assert len(files) < 400, len(files)


# --- the filterable table of a large mart ---------------------------------------------------------------

def large_mart(publish: Path) -> tuple[str, str, list[dict], list[Path]]:
    cat = catalog(publish)
    for mart, entry in sorted(cat.items()):
        folder = publish / "site" / mart / entry["version"]
        parts = sorted(folder.glob("table-*.html"))
        if parts:
            return mart, entry["version"], csv_rows(publish / entry["csv"]), parts
    pytest.fail("no mart with table pages")


def test_the_large_mart_is_one_filterable_page_per_sector(sample, browser):
    mart, version, rows, parts = large_mart(sample)
    assert mart == "institution_growth" and len(rows) > site_module.MAX_TABLE_ROWS
    sectors = sorted({r["sector"] for r in rows})
    assert len(parts) == len(sectors)
    index = (sample / "site" / mart / version / "index.html").read_text(encoding="utf-8")
    seen = 0
    for part in parts:
        opened = open_page(browser, uri(part), uri(sample))
        page = opened.page
        page.wait_for_selector("body[data-table='ready']")
        assert f'href="{part.name}"' in index
        first = page.evaluate(TABLES_JS)[0]
        sector = first["rows"][0][0]
        subset = [r for r in rows if code_label(r["sector"]) == sector]
        shown = page.locator("table.figures tbody tr").count()
        assert shown == min(len(subset), site_module.TABLE_LIMIT)
        if len(subset) > shown:
            page.locator("#toon-alle").click()
        seen += check_tables_against_csv(opened, subset)
        # Every figure links to its section on the sector's lineage page (anchors as site.figure_anchor).
        hrefs = page.evaluate("""() => Array.from(document.querySelectorAll('table.figures tbody tr'))
            .map(tr => tr.querySelector('a[title="herkomst van dit cijfer"]').getAttribute('href'))""")
        grain = json.loads((sample / mart / version / "metadata.json").read_text(encoding="utf-8"))["grain"]
        assert hrefs == [f"{site_module.lineage_file(r, ['sector'])}#{site_module.figure_anchor(r, grain)}"
                         for r in subset]
        assert opened.errors == [] and opened.outside == [], opened.errors
        page.close()
    assert seen == len(rows)


def test_the_filters_show_the_published_numbers(sample, browser):
    mart, version, rows, parts = large_mart(sample)
    opened = open_page(browser, uri(parts[0]), uri(sample), viewport=PHONE)
    page = opened.page
    page.wait_for_selector("body[data-table='ready']")
    sector = page.evaluate(TABLES_JS)[0]["rows"][0][0]
    subset = [r for r in rows if code_label(r["sector"]) == sector]
    # By measure and year (choice lists), then by institution (search in code and name).
    measure = subset[-1]["measure"]
    page.select_option("select[data-column='measure']", measure)
    page.select_option("select[data-column='year']", "2005")
    expected = [r for r in subset if r["measure"] == measure and r["year"] == "2005"]
    assert expected
    check_tables_against_csv(opened, expected)
    name = expected[0]["instellingsnaam"]
    page.fill("input[name='zoek']", name[2:9].upper())
    page.wait_for_function(f"document.querySelectorAll('table.figures tbody tr').length === "
                           f"{sum(name[2:9].lower() in r['instellingsnaam'].lower() for r in expected)}")
    check_tables_against_csv(opened, [r for r in expected if name[2:9].lower() in r["instellingsnaam"].lower()])
    status = page.locator("#tabel-status").text_content()
    assert re.fullmatch(r"\s*\d+ van \d+ rijen getoond\.\s*", status), status
    page.fill("input[name='zoek']", expected[0]["instellingscode"])
    page.select_option("select[data-column='year']", "")
    page.wait_for_function("document.querySelector('#tabel-status [data-found]').textContent !== ''")
    code_rows = [r for r in subset if r["measure"] == measure and r["instellingscode"] == expected[0]["instellingscode"]]
    page.wait_for_function(f"document.querySelectorAll('table.figures tbody tr').length === {len(code_rows)}")
    check_tables_against_csv(opened, code_rows)
    page.fill("input[name='zoek']", "geen-instelling-heet-zo")
    page.wait_for_function("document.querySelectorAll('table.figures tbody tr').length === 0")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert opened.errors == []
    page.close()


def test_without_javascript_the_table_page_shows_the_first_rows(sample):
    mart, version, rows, parts = large_mart(sample)
    html = parts[0].read_text(encoding="utf-8")
    assert html.count("<tr>") - 1 == site_module.FALLBACK_ROWS  # header row + the first rows
    assert 'class="zonder-script note"' in html and f'href="../../../{mart}/{version}/data.csv"' in html


def lineage_texts(section) -> dict:
    return {"title": section.locator("h2").text_content(), "text": section.text_content(),
            "command": section.locator("pre code").text_content() if section.locator("pre code").count() else None}


def test_a_figure_of_the_large_mart_links_to_its_lineage_drawn_in_the_browser(sample, browser):
    mart, version, rows, parts = large_mart(sample)
    metadata = json.loads((sample / mart / version / "metadata.json").read_text(encoding="utf-8"))
    grain = metadata["grain"]
    # Figures of every kind: suppressed, provisional, with masked cells, plain; in several sectors.
    picks = {}
    for r in rows:
        kind = ("c" if r["suppression"] == "c" else "prov" if r["is_provisional"] == "true"
                else "masked" if r["n_masked_cells"] not in ("", "0") else "plain", r["sector"])
        picks.setdefault(kind, r)
    assert {k[0] for k in picks} >= {"c", "prov", "plain"}
    memo: dict = {}
    for r in picks.values():
        page_path = sample / "site" / mart / version / site_module.lineage_file(r, ["sector"])
        anchor = site_module.figure_anchor(r, grain)
        opened = open_page(browser, uri(page_path) + "#" + anchor, uri(sample))
        page = opened.page
        page.wait_for_selector("body[data-lineage='shown']")
        shown = lineage_texts(page.locator(f"section#{anchor}"))
        expected = site_module.lineage_section_view(mart, r, metadata, version, {}, memo)
        assert shown["title"] == expected["title"]
        assert f"Berekening. {expected['computation']}" in shown["text"]
        assert shown["command"] == expected["command"]
        for i in expected["inputs"]:
            assert f"{i['role']}: {i['path']}" in shown["text"]
        for href in page.evaluate(f"() => Array.from(document.querySelectorAll('section#{anchor} a'))"
                                  ".map(a => a.getAttribute('href'))"):
            assert page.locator(f"tr{href} code").first.text_content()  # the file, with its sha256
        assert opened.errors == [], opened.errors
        page.close()
    # Clicking a figure in a table lands on its section, with the command that proves it.
    opened = open_page(browser, uri(parts[0]), uri(sample))
    page = opened.page
    page.wait_for_selector("body[data-table='ready']")
    page.locator("table.figures tbody tr a[title='herkomst van dit cijfer']").nth(3).click()
    page.wait_for_selector("body[data-lineage='shown']")
    assert "/lineage/" in page.url and "#f-" in page.url
    section = page.locator(f"section#{page.url.split('#')[1]}")
    assert section.locator("pre code").text_content().startswith(f"betamonitor trace {mart} --where ")
    page.go_back()
    page.wait_for_selector("body[data-table='ready']")
    assert opened.errors == []
    page.close()


def test_every_computation_of_the_large_mart_is_drawn_as_the_site_writes_it(sample):
    """The computation templates reproduce site.computation for every row (rows they do not reproduce
    carry their own text), so the browser shows exactly what a static lineage page would."""
    mart, version, rows, _ = large_mart(sample)
    metadata = json.loads((sample / mart / version / "metadata.json").read_text(encoding="utf-8"))
    names = list(rows[0])
    config = site_module.lineage_part_config(mart, version, metadata, rows, names, {}, {})
    columns = {c["name"]: c for c in config["columns"]}
    cols = site_module.column_kinds(metadata)
    grain = metadata["grain"]
    for r in rows:
        anchor = site_module.figure_anchor(r, grain)
        text = config["literal"].get(anchor) or site_module.fill_template(
            config["templates"][site_module.shape_key(r, names)], r, columns)
        assert text == site_module.computation(mart, r, cols)
    assert len(config["literal"]) < len(rows) / 100  # the templates do the work
    assert len(config["templates"]) < 50


# --- after a second publication ----------------------------------------------------------------------------

def test_what_changed_per_figure_and_the_changed_marts_on_the_index(small_two_publications, small_run, browser):
    publish = small_two_publications / "published"
    before, after = catalog(small_run / "published"), catalog(publish)
    changed = sorted(m for m in after if after[m]["version"] != before.get(m, {}).get("version"))
    assert "sector_growth" in changed
    for viewport in (LAPTOP, PHONE):
        opened = open_page(browser, uri(publish / "site" / "index.html"), uri(publish), viewport=viewport)
        wait_ready(opened)
        items = opened.page.locator("ul.changed-marts li")
        assert items.count() == len([m for m in changed if before.get(m)])
        assert re.search(r"\d+ cijfers? herzien, \d+ nieuw, \d+ vervallen", items.first.text_content())
        assert opened.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        opened.page.close()
    mart = "sector_growth"
    old, new = before[mart]["version"], after[mart]["version"]
    d = mart_diff.diff_versions(publish, mart, old, new)
    figures = mart_diff.figure_rows(d)
    for viewport in (LAPTOP, PHONE):
        opened = open_page(browser, uri(publish / "site" / mart / new / "index.html"), uri(publish), viewport=viewport)
        wait_ready(opened)
        page = opened.page
        rows = page.evaluate("""() => Array.from(document.querySelectorAll('table.changes tbody tr'))
            .map(tr => Array.from(tr.children).map(td => td.textContent.trim()))""")
        assert len(rows) == min(len(figures), site_module.MAX_CHANGE_ROWS)
        assert [r[0] for r in rows] == [f.figure for f in figures[:len(rows)]]  # one row per figure
        assert all(r[4] for r in rows)  # each with its reason
        hbo = next(r for r in rows if r[0] == "hbo, instroom, 2003")
        assert hbo[1] == "herzien" and hbo[4].startswith("voorlopig jaar definitief geworden")
        assert "Aantal (puntschatting) 165,0 → 166,0" in hbo[5]
        assert page.locator("p.samenvatting").text_content().startswith(f"{d.counts()['changed']} cijfer")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert opened.errors == []
        page.close()
    # The superseded version still works, with a banner to the current one.
    opened = open_page(browser, uri(publish / "site" / mart / old / "index.html"), uri(publish), viewport=PHONE)
    wait_ready(opened)
    assert opened.page.locator(".vervangen a").get_attribute("href") == f"../{new}/index.html"
    assert opened.errors == [] and opened.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    opened.page.close()


def render_split_site(publish: Path) -> None:
    """The site of `publish` rendered with every mart above 10 rows split over filterable table pages
    (module fixtures cannot use monkeypatch, so the limit is set and put back here)."""
    limit = site_module.MAX_TABLE_ROWS
    site_module.MAX_TABLE_ROWS = 10
    try:
        site_module.update_site(publish)
    finally:
        site_module.MAX_TABLE_ROWS = limit


@pytest.fixture(scope="module")
def split_two_publications(small_two_publications, tmp_path_factory) -> Path:
    """The two publications with every mart above 10 rows split over filterable table pages (site
    regenerated in a copy): the large-mart pages of both versions, their banners and change links."""
    copy = tmp_path_factory.mktemp("split") / "published"
    shutil.copytree(small_two_publications / "published", copy)
    shutil.rmtree(copy / "site")
    render_split_site(copy)
    return copy


def test_changed_figures_of_a_split_mart_link_to_their_lineage(split_two_publications, small_run, browser):
    publish = split_two_publications
    before, after = catalog(small_run / "published"), catalog(publish)
    mart = "sector_growth"
    old, new = before[mart]["version"], after[mart]["version"]
    assert sorted((publish / "site" / mart / new).glob("table-*.html"))
    opened = open_page(browser, uri(publish / "site" / mart / new / "index.html"), uri(publish))
    wait_ready(opened)
    page = opened.page
    links = page.evaluate("""() => Array.from(document.querySelectorAll('table.changes tbody tr td:first-child a'))
        .map(a => a.getAttribute('href'))""")
    assert links and all(re.fullmatch(r"lineage/[a-z0-9-]+\.html#f-[a-z0-9-]+", h) for h in links), links[:3]
    page.locator("table.changes tbody tr td:first-child a").first.click()
    page.wait_for_selector("body[data-lineage='shown']")
    section = page.locator(f"section#{page.url.split('#')[1]}")
    first = mart_diff.figure_rows(mart_diff.diff_versions(publish, mart, old, new))[0]
    metadata = json.loads((publish / mart / new / "metadata.json").read_text(encoding="utf-8"))
    assert section.locator("h2").text_content() == site_module.figure_title(
        first.keys, metadata["grain"], site_module.column_kinds(metadata))
    assert opened.errors == []
    page.close()
    # Both versions' table pages work; the old one carries the banner.
    for version, banner in ((old, True), (new, False)):
        for part in sorted((publish / "site" / mart / version).glob("table-*.html")):
            opened = open_page(browser, uri(part), uri(publish), viewport=PHONE)
            opened.page.wait_for_selector("body[data-table='ready']")
            assert (opened.page.locator(".vervangen").count() == 1) == banner
            assert opened.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert opened.errors == [], (part, opened.errors)
            opened.page.close()


# --- any text, in the browser's helpers and in a large mart's pages -----------------------------------------

TRICKY = ["hbo", "wo", "HAVO/VWO", "ANY", "instroom_excl_informatica", "Ünïcödé ß İ", "a--b", "---", "", "x" * 80,
          "<!--<script>", "é\u2028\u2029", "12.5", "00MH"]


def test_the_browser_helpers_agree_with_site_py(sample, browser):
    """static/tables.js computes anchors, numbers and CSV fields as site.py and Python's csv do."""
    from pipelines.publishing.texts_nl import nl_number

    _, _, _, parts = large_mart(sample)
    opened = open_page(browser, uri(parts[0]), uri(sample))
    page = opened.page
    page.wait_for_selector("body[data-table='ready']")
    for parts_ in ([t] for t in TRICKY):
        assert page.evaluate("p => window.betamonitorTables.slug(p)", parts_) == site_module.slug(*parts_), parts_
    assert page.evaluate("p => window.betamonitorTables.slug(p)", TRICKY) == site_module.slug(*TRICKY)
    for number in ["0", "12", "1234", "-1234.5", "1234567.25", "0012345", "-0.0", "2005", "abc", "1.2.3", ""]:
        for grouping in (True, False):
            assert page.evaluate("([t, g]) => window.betamonitorTables.nlNumber(t, g)", [number, grouping]) == \
                nl_number(number, grouping), (number, grouping)
    text = 'a,b,c\r\n1,"x, ""y""\nz",\n"",<!--<script>,"\u2028"\n'
    assert page.evaluate("t => window.betamonitorTables.parseCsv(t)", text) == list(csv.reader(io.StringIO(text, newline="")))
    assert opened.errors == []
    page.close()


EVIL = '<!--<script>alert(1)</script>, "quoted"'


def test_names_with_markup_quotes_and_commas_in_a_large_mart(small_run, browser, tmp_path):
    """institution_growth of the small run with every institution name EVIL, split over table pages: the
    names are shown as text, the numbers equal data.csv, the lineage pages draw, nothing breaks."""
    copy = tmp_path / "published"
    shutil.copytree(small_run / "published", copy)
    shutil.rmtree(copy / "site")
    entry = catalog(copy)["institution_growth"]
    rows = csv_rows(copy / entry["csv"])
    with (copy / entry["csv"]).open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "instellingsnaam": EVIL} for r in rows)
    rows = csv_rows(copy / entry["csv"])
    render_split_site(copy)
    folder = copy / "site" / "institution_growth" / entry["version"]
    parts = sorted(folder.glob("table-*.html"))
    assert parts
    seen = 0
    for part in parts:
        opened = open_page(browser, uri(part), uri(copy))
        page = opened.page
        page.wait_for_selector("body[data-table='ready']")
        sector = page.evaluate(TABLES_JS)[0]["rows"][0][0]
        seen += check_tables_against_csv(opened, [r for r in rows if code_label(r["sector"]) == sector])
        assert page.evaluate("document.querySelectorAll('script').length") == 3  # config, cijfers.js, tables.js
        page.locator("table.figures tbody a[title='herkomst van dit cijfer']").first.click()
        page.wait_for_selector("body[data-lineage='shown']")
        assert page.locator("footer").is_visible()
        assert opened.errors == [] and opened.outside == [], opened.errors
        page.close()
    assert seen == len(rows)
