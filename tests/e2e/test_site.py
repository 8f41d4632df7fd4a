"""The publication site, end to end: two real runs of the job on small data (the second with a newer
delivery), then the generated pages opened in headless Debian chromium through Playwright's Python
API: no console errors, every chart drawn, every table's numbers equal to the published CSV, each
figure's lineage link lands on its section; plus `betamonitor diff` and `betamonitor serve`.

The browser part (Chromium, Playwright, what every page is checked for) is tests/e2e/browser.py."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from html.parser import HTMLParser

from orchestration.cli import main
from pipelines.dbt_settings import mart_declarations
from pipelines.publishing import site as site_module
from pipelines.publishing.texts_nl import code_label
from tests.e2e.browser import TABLES_JS, check_charts, check_tables_against_csv, open_page
from tests.html_script import split_scripts



def catalog(publish: Path) -> dict:
    return json.loads((publish / "catalog.json").read_text(encoding="utf-8"))["marts"]


def csv_rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def tree_digest(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_runs(small_run, small_two_publications) -> tuple[Path, dict, dict]:
    """Run 1 on the small data; run 2 after a newer ho_eerstejaars delivery that restates 2003 (the
    provisional year of run 1) and adds 2004 (tests/e2e/conftest.py, shared with other files: read only).
    Returns (work, catalog after run 1, catalog after run 2)."""
    work = small_two_publications
    return work, catalog(small_run / "published"), catalog(work / "published")


# --- the files -------------------------------------------------------------------------------------------

def test_index_lists_every_published_mart_at_its_current_version(two_runs):
    work, _, cat = two_runs
    site = work / "published" / "site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="nl">' in index
    for mart, entry in cat.items():
        page = site / mart / entry["version"] / "index.html"
        assert page.is_file(), mart
        assert f'href="{mart}/{entry["version"]}/index.html"' in index
        assert f'url={entry["version"]}/index.html' in (site / mart / "index.html").read_text(encoding="utf-8")
        for older in entry["history"]:
            assert (site / mart / older / "index.html").is_file()  # each version keeps its own pages
        html = page.read_text(encoding="utf-8")
        for f in ("data.csv", "data.parquet", "metadata.json"):
            link = f"../../../{mart}/{entry['version']}/{f}"
            assert f'href="{link}"' in html and (page.parent / link).resolve().is_file()
    assert "sector_growth" in cat and "program_growth" in cat


def test_pages_are_self_contained_and_leave_no_temporary_files(two_runs):
    work, _, _ = two_runs
    site = work / "published" / "site"
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), p
    assert not [p for p in (work / "published").rglob(".*") if p.name != ".gitkeep"]
    bundle = next((site / "static").glob("vega-*.js"))
    assert "window.vegaEmbed" in bundle.read_text(encoding="utf-8")


def test_a_version_page_lists_what_changed_with_old_new_and_reason(two_runs):
    work, first, second = two_runs
    old, new = first["sector_growth"]["version"], second["sector_growth"]["version"]
    html = (work / "published" / "site" / "sector_growth" / new / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="wijzigingen"'):html.index('id="cijfers"')]
    assert old in section
    # One row per figure (issue 19): the headline (growth %) old -> new, the reason, the other columns folded in.
    # hbo instroom 2003: 165 in the 2004 delivery (provisional) -> 131+13+20+2 = 166 in the 2005 delivery.
    row = re.search(r"<tr><td><a href=\"(lineage/[^\"#]+)#([^\"]+)\">hbo, instroom, 2003</a></td>"
                    r"<td>herzien</td><td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>"
                    r"<td>([^<]*)</td><td>([^<]*)</td></tr>", section)
    assert row, section[:3000]
    assert row.group(5).startswith("voorlopig jaar definitief geworden")
    assert "Aantal (puntschatting) 165,0 → 166,0" in row.group(6)
    assert "Groei (%): oud" in section  # the headline column by its Dutch label
    assert len(re.findall(r"hbo, instroom, 2003</a>", section)) == 1  # not one row per column
    # The changed figure links to its section of the sector's lineage page (drawn in the browser from the
    # version's data: tests/e2e/test_site_pages.py follows such links).
    assert (work / "published" / "site" / "sector_growth" / new / row.group(1)).is_file()
    assert row.group(1) == site_module.lineage_file({"sector": "hbo"}, ["sector"])
    assert row.group(2) == site_module.figure_anchor({"sector": "hbo", "measure": "instroom", "year": "2003"},
                                                     ["sector", "measure", "year"])
    assert re.search(r"wo, instroom, 2004</a></td><td>nieuw</td>"
                     r"<td class=\"num\">–</td><td class=\"num\">[^<]+</td><td>nieuw jaar</td>", section)
    summary = re.search(r'<p class="samenvatting">([^<]*)</p>', section).group(1)
    assert re.fullmatch(r"\d+ cijfers? herzien, \d+ nieuw, 0 vervallen; grootste herziening: .+ \(Groei \(%\)\) "
                        r"van -?[\d.,]+ naar -?[\d.,]+\.", summary), summary
    # The first version has nothing to compare with; its page says so. It is not rewritten, apart from the
    # banner that says it is replaced and links to the current version.
    first_html_path = work / "published" / "site" / "sector_growth" / old / "index.html"
    first_html = first_html_path.read_text(encoding="utf-8")
    assert "eerste gepubliceerde versie" in first_html
    assert re.search(r'<div class="vervangen" role="note"><p><strong>Deze versie is vervangen\.</strong>[^<]*'
                     rf'<a href="\.\./{new}/index\.html"><code>{new}</code></a>', first_html)
    assert (first_html_path.parent / f"../{new}/index.html").resolve().is_file()
    assert "Deze versie is vervangen" not in html  # the current version has no banner
    before = json.loads((work / "first_pages.json").read_text(encoding="utf-8"))
    after = tree_digest(first_html_path.parent)
    assert {k for k in after if after[k] != before.get(k)} == {"index.html"} and set(after) == set(before)


def test_index_lists_the_marts_changed_in_the_latest_publication(two_runs):
    work, first, second = two_runs
    index = (work / "published" / "site" / "index.html").read_text(encoding="utf-8")
    section = index[index.index('id="laatste"'):index.index('<ul class="marts">')]
    changed = {m for m in second if second[m]["version"] != first.get(m, {}).get("version")}
    assert "sector_growth" in changed
    for mart in second:
        link = f'href="{mart}/{second[mart]["version"]}/index.html"'
        assert (link in section) == (mart in changed), mart
    assert re.search(r"Groei bèta/techniek per sector[^<]*</a>: \d+ cijfers? herzien, \d+ nieuw, \d+ vervallen", section)


ENGLISH = ["confidential", "not applicable", "Published mart", "What changed", "suppressed", "provisional",
           "non_participants", "ANY:", "figure removed", "new year", "restated", "reason unknown", "File not found",
           "contract:", "baseline", "Masked", "delivery of"]  # outside <code>: names and commands are code


def test_pages_show_no_english_and_no_raw_column_names(two_runs):
    work, _, cat = two_runs
    site = work / "published" / "site"
    pages = [site / "index.html"] + [site / mart / v / "index.html" for mart, e in cat.items() for v in e["history"]]
    pages += sorted(site.glob("*/*/table-*.html"))[:3] + sorted(site.glob("sector_growth/*/lineage/*.html"))[:3]
    for page in pages:
        _, parts = parse_page(page)
        text = " ".join(parts.texts)
        for phrase in ENGLISH:
            assert phrase not in text, (page, phrase)
    for mart, entry in cat.items():
        _, parts = parse_page(site / mart / entry["version"] / "index.html")
        headers = parts.figures_headers
        if headers:
            assert not [h for h in headers if re.fullmatch(r"[a-z]+(_[a-z]+)+", h)], (mart, headers)
    _, parts = parse_page(site / "sector_growth" / cat["sector_growth"]["version"] / "index.html")
    assert parts.figures_headers[:3] == ["Sector", "Stroom", "Jaar"] and "Groei (%)" in parts.figures_headers
    assert not [phrase for phrase in ENGLISH if phrase in site_module.NOT_FOUND_PAGE]


def test_diff_command_prints_the_same_changes(two_runs, capsys):
    work, first, second = two_runs
    publish = str(work / "published")
    assert main(["diff", "sector_growth", "--publish-dir", publish]) == 0
    text = capsys.readouterr().out
    assert f"{first['sector_growth']['version']} -> {second['sector_growth']['version']}" in text
    assert re.search(r"herzien\s+hbo, instroom, 2003: Groei \(%\) .*\[voorlopig jaar definitief geworden.*\]; ook .*"
                     r"Aantal \(puntschatting\) 165,0 → 166,0", text)
    assert len(re.findall(r"hbo, instroom, 2003:", text)) == 1  # one line per figure
    assert re.search(r"^\d+ cijfers? herzien, \d+ nieuw, 0 vervallen; grootste herziening: ", text, re.M)
    assert main(["diff", "sector_growth", "--publish-dir", publish, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    hit = [r for r in rows if (r["sector"], r["measure"], r["year"]) == ("hbo", "instroom", "2003")]
    assert len(hit) == 1 and hit[0]["column"] == "growth_pct"  # one row per figure
    assert "value: 165.0 -> 166.0" in hit[0]["other_changes"].split("; ")
    assert hit[0]["reason"].startswith("voorlopig jaar definitief geworden")
    assert {r["change"] for r in rows if r["year"] == "2004"} == {"added"}
    # changes.csv on the site is the same CSV.
    site_csv = work / "published" / "site" / "sector_growth" / second["sector_growth"]["version"] / "changes.csv"
    assert list(csv.DictReader(site_csv.open(encoding="utf-8"))) == rows
    # Explicit versions, reversed: the 2004 figures are removed.
    assert main(["diff", "sector_growth", "--publish-dir", publish, "--from", second["sector_growth"]["version"],
                 "--to", first["sector_growth"]["version"], "--format", "csv"]) == 0
    back = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["change"] for r in back if r["year"] == "2004"} == {"removed"}
    assert main(["diff", "sector_growth", "--publish-dir", publish, "--from", "1999-01-01_000000000000"]) == 1


def test_site_is_regenerated_deterministically(two_runs, tmp_path):
    work, _, _ = two_runs
    copy = tmp_path / "published"
    shutil.copytree(work / "published", copy)
    shutil.rmtree(copy / "site")
    site_module.update_site(copy)
    assert tree_digest(copy / "site") == tree_digest(work / "published" / "site")



# --- any text is safe in the pages (issue 17, part 8) ------------------------------------------------------

EVIL_NAME = "<!--<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_site(two_runs, tmp_path_factory) -> tuple[Path, list[str]]:
    """A copy of the publication whose institution names are all EVIL_NAME (in every current version's
    data.csv that has the column), with its site rendered afresh. Returns (publish dir, those marts)."""
    work, _, cat = two_runs
    copy = tmp_path_factory.mktemp("evil") / "published"
    shutil.copytree(work / "published", copy)
    shutil.rmtree(copy / "site")
    marts = []
    for mart, entry in sorted(cat.items()):
        path = copy / entry["csv"]
        rows = csv_rows(path)
        if not rows or "instellingsnaam" not in rows[0]:
            continue
        marts.append(mart)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "instellingsnaam": EVIL_NAME} for r in rows)
        path.write_text(out.getvalue(), encoding="utf-8")
    site_module.update_site(copy)
    return copy, marts


class PageParts(HTMLParser):
    """What html.parser finds outside the script elements: elements by tag.class, and the cells' text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, int] = {}
        self.cells: list[str] = []
        self.texts: list[str] = []
        self.figures_headers: list[str] = []
        self._cell: list[str] | None = None
        self._figures = self._thead = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        for key in [tag, *(f"{tag}.{c}" for c in classes)]:
            self.found[key] = self.found.get(key, 0) + 1
        if tag in ("td", "th"):
            self._cell = []
        if tag == "code":
            self._code += 1
        if tag == "table":
            self._figures = "figures" in classes
        if tag == "thead":
            self._thead = True
        for name, value in attrs:  # what a reader sees of the attributes
            if name in ("title", "aria-label", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag == "code":
            self._code -= 1
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            if self._figures and self._thead and not self.figures_headers_done:
                self.figures_headers.append("".join(self._cell))
            self._cell = None
        if tag == "thead":
            self._thead = False
            if self._figures:
                self.figures_headers_done = True

    figures_headers_done = False

    _code = 0

    def handle_data(self, data):
        if not self._code:
            self.texts.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse_page(path: Path) -> tuple[list[str], PageParts]:
    scripts, rest = split_scripts(path.read_text(encoding="utf-8"))
    parts = PageParts()
    parts.feed(rest)
    parts.close()
    return scripts, parts


def test_an_institution_name_with_script_tags_leaves_charts_tables_and_footer_intact(two_runs, evil_site):
    publish, marts = evil_site
    assert "institution_growth" in marts
    pages = [publish / "site" / "index.html"] + [
        publish / "site" / mart / catalog(publish)[mart]["version"] / "index.html" for mart in marts]
    for page in pages:
        scripts, parts = parse_page(page)
        data = [json.loads(s) for s in scripts if s.strip()]  # each chart spec and table config is whole, valid JSON
        specs = [x for x in data if x.get("mode") not in ("table", "lineage")]  # the table's config: not a chart
        assert len(specs) == parts.found.get("figure.chart", 0) == parts.found.get("div.vis", 0) >= 1, page
        assert EVIL_NAME in json.dumps(specs, ensure_ascii=False), page  # the name is in the chart data
        assert parts.found.get("footer") == 1, page
        assert parts.found.get("table.chart-data") == len(specs), page
        assert parts.found.get("script", 0) == len(scripts), page
        if page.parent.name != "site":
            assert parts.found.get("table.figures") == 1, page
            assert sum(EVIL_NAME in c for c in parts.cells) >= 1, page  # shown as text in the table
    # The pages the old escaping broke still render identically apart from the names.
    work, _, _ = two_runs
    _, original = parse_page(work / "published" / "site" / "index.html")
    _, evil = parse_page(publish / "site" / "index.html")
    assert evil.found == original.found


# --- in the browser -------------------------------------------------------------------------------------

def test_every_mart_page_renders_its_charts_and_shows_the_published_numbers(two_runs, browser):
    work, _, cat = two_runs
    publish = work / "published"
    prefix = publish.resolve().as_uri()
    index = open_page(browser, (publish / "site" / "index.html").resolve().as_uri(), prefix)
    # one overview chart per mart on the index; a mart shown as a map (regional_growth) has its map page instead
    assert check_charts(index) == len([m for m in cat if "map" not in mart_declarations().get(m, {})])
    assert index.errors == [] and index.outside == []
    index.page.close()
    checked_rows = checked_charts = 0
    for mart, entry in sorted(cat.items()):
        for version in entry["history"]:
            url = (publish / "site" / mart / version / "index.html").resolve().as_uri()
            opened = open_page(browser, url, prefix)
            assert opened.page.evaluate("document.documentElement.lang") == "nl"
            charts = check_charts(opened)
            if mart in ("sector_growth", "program_growth", "gender_shares", "institution_growth",
                        "participation_counts"):
                assert charts >= 1, mart
            checked_charts += charts
            checked_rows += check_tables_against_csv(opened, csv_rows(publish / mart / version / "data.csv"))
            assert opened.errors == [], (mart, opened.errors)
            assert opened.outside == [], (mart, opened.outside)
            opened.page.close()
    assert checked_rows > 100 and checked_charts >= 5


def test_a_figure_links_to_its_lineage_with_the_trace_command(two_runs, browser):
    work, _, cat = two_runs
    publish = work / "published"
    version = cat["sector_growth"]["version"]
    opened = open_page(browser, (publish / "site" / "sector_growth" / version / "index.html").resolve().as_uri(),
                       publish.resolve().as_uri())
    index = opened.page.evaluate("""() => Array.from(document.querySelectorAll('table.figures tbody tr'))
        .findIndex(tr => Array.from(tr.children).slice(0, 3).map(c => c.textContent).join('|') === 'wo|instroom|2003')""")
    assert index >= 0
    row = opened.page.locator("table.figures tbody tr").nth(index)
    row.locator("a").first.click()
    opened.page.wait_for_load_state("load")
    assert "/lineage/" in opened.page.url and "#f-" in opened.page.url
    section = opened.page.locator(f"section#{opened.page.url.split('#')[1]}")
    text = section.text_content()
    assert "Sector wo, Stroom instroom, Jaar 2003" in text
    assert "2005-03-15_eerstejaars_ho.csv" in text  # the winning delivery of 2003 after the second run
    assert "2004-03-15_eerstejaars_ho.csv" in text  # superseded for 2003
    command = section.locator("pre code").text_content()
    assert command == (f"betamonitor trace sector_growth --where sector=wo,measure=instroom,year=2003 "
                       f"--column growth_pct --version {version}")
    assert opened.errors == []
    opened.page.close()
    # The command on the page proves the figure.
    args = command.split()[1:] + ["--raw-dir", str(work / "raw"), "--publish-dir", str(publish),
                                  "--warehouse", str(work / "state" / "warehouse.duckdb")]
    assert main(args) == 0


def test_keyboard_reaches_the_content_and_the_tables(two_runs, browser):
    work, _, cat = two_runs
    publish = work / "published"
    opened = open_page(browser, (publish / "site" / "index.html").resolve().as_uri(), publish.resolve().as_uri())
    page = opened.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    for _ in range(6):  # the first links in the content are the marts
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("/index.html") and href.split("/")[0] in cat:
            break
    else:
        pytest.fail("no mart link reached with the keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{href}")
    assert page.locator("h1").text_content()
    assert opened.errors == []
    page.close()


def test_split_tables_of_a_large_mart_show_the_published_numbers(two_runs, browser, tmp_path, monkeypatch):
    work, _, cat = two_runs
    copy = tmp_path / "published"
    shutil.copytree(work / "published", copy)
    shutil.rmtree(copy / "site")
    monkeypatch.setattr(site_module, "MAX_TABLE_ROWS", 10)
    site_module.update_site(copy)
    version = cat["sector_growth"]["version"]
    folder = copy / "site" / "sector_growth" / version
    parts = sorted(folder.glob("table-*.html"))  # one filterable page per sector
    assert len(parts) >= 3
    rows = csv_rows(copy / "sector_growth" / version / "data.csv")
    seen = 0
    for part in parts:
        opened = open_page(browser, part.resolve().as_uri(), copy.resolve().as_uri())
        opened.page.wait_for_selector("body[data-table='ready']")
        header = opened.page.evaluate(TABLES_JS)[0]
        first = dict(zip(header["header"], header["rows"][0]))
        subset = [r for r in rows if code_label(r["sector"]) == first["sector"]]
        seen += check_tables_against_csv(opened, subset)
        assert opened.errors == []
        opened.page.close()
    assert seen == len(rows)


def test_serve_serves_the_site_on_localhost(two_runs, browser):
    work, _, cat = two_runs
    server = site_module.make_server(work / "published", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        version = cat["sector_growth"]["version"]
        opened = open_page(browser, f"{base}site/sector_growth/index.html", base)
        opened.page.wait_for_url(f"**/site/sector_growth/{version}/index.html")
        assert check_charts(opened) >= 1
        response = opened.page.request.get(f"{base}{cat['sector_growth']['csv']}")
        assert response.status == 200 and response.text().startswith("sector,measure,year")
        assert opened.errors == [] and opened.outside == []
        opened.page.close()
    finally:
        server.shutdown()
        server.server_close()


def test_an_institution_name_with_script_tags_renders_in_the_browser(evil_site, browser):
    publish, marts = evil_site
    prefix = publish.resolve().as_uri()
    urls = [(publish / "site" / "index.html", None)] + [
        (publish / "site" / mart / catalog(publish)[mart]["version"] / "index.html", mart) for mart in marts]
    for path, mart in urls:
        opened = open_page(browser, path.resolve().as_uri(), prefix)
        assert check_charts(opened) >= 1, path
        if mart:
            check_tables_against_csv(opened, csv_rows(publish / catalog(publish)[mart]["csv"]))
        assert opened.page.locator("footer").is_visible(), path
        assert opened.errors == [] and opened.outside == [], (path, opened.errors)
        opened.page.close()
