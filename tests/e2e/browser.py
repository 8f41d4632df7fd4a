"""Opening the publication site in headless Debian chromium through Playwright's Python API, and what
the browser tests check on every page: no console errors, no request outside the publication, charts
drawn, tables equal to the published CSV. The `browser` fixture is in tests/e2e/conftest.py.

Chromium comes from scripts/ci/install_chromium.sh (called by `make test`); without it the browser
tests skip with that reason."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

from pipelines.publishing.texts_nl import code_label, suppression_reason

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        subprocess.run(["bash", str(REPO / "scripts" / "ci" / "install_chromium.sh")], check=False)
    if not CHROMIUM.exists():
        return "Debian chromium is not installed and scripts/ci/install_chromium.sh could not install it"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (uv sync --locked)"
    return None


class Opened:
    def __init__(self, page, errors, outside):
        self.page, self.errors, self.outside = page, errors, outside


def open_page(browser, url: str, allowed_prefix: str, viewport: dict | None = None) -> Opened:
    """`url` in a new tab (`viewport`: {"width": …, "height": …}, else the context's), its console errors
    and warnings and the requests outside `allowed_prefix` (aborted) recorded."""
    page = browser.new_page()
    if viewport:
        page.set_viewport_size(viewport)
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))

    def route(r):
        if r.request.url.startswith(allowed_prefix) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_load_state("load")
    return Opened(page, errors, outside)


DUTCH_NUMBER = re.compile(r"-?\d{1,3}(\.\d{3})*(,\d+)?")
TABLES_JS = """() => Array.from(document.querySelectorAll('table.figures')).map(t => ({
  header: Array.from(t.querySelectorAll('thead th')).map(th => th.dataset.column),
  rows: Array.from(t.querySelectorAll('tbody tr')).map(tr => Array.from(tr.children).map(td => {
    const c = td.cloneNode(true); c.querySelectorAll('abbr[title="voorlopig cijfer"]').forEach(a => a.remove());
    return c.textContent.trim(); })),
  provisional: Array.from(t.querySelectorAll('tbody tr')).map(tr => tr.querySelector('abbr[title="voorlopig cijfer"]') !== null)
}))"""


def from_page(shown: str, published: str) -> None:
    """A value as shown (Dutch notation, symbols) equals the value in data.csv."""
    if published == "":
        assert shown == "–", (shown, published)
    elif published in ("true", "false"):
        assert shown == {"true": "ja", "false": "nee"}[published]
    elif re.fullmatch(r"-?\d+\.\d+", published):
        assert DUTCH_NUMBER.fullmatch(shown), f"{shown!r} is not in Dutch notation ({published})"
        assert Decimal(shown.replace(".", "").replace(",", ".")) == Decimal(published), (shown, published)
    elif re.fullmatch(r"-?\d+", published):
        assert Decimal(shown.replace(".", "")) == Decimal(published), (shown, published)
    else:  # text: codes as Dutch words (texts_nl), names as they are
        assert shown in (published, code_label(published), suppression_reason(published)), (shown, published)


def check_tables_against_csv(opened: Opened, rows: list[dict]) -> int:
    """Every row of the page's figures tables equals `rows` (data.csv), in Dutch notation. A filterable
    table (static/tables.js) is drawn first, with all its rows."""
    page = opened.page
    if page.locator("#tabel-config").count():
        page.wait_for_selector("body[data-table='ready']")
        if page.locator("#toon-alle").is_visible():
            page.locator("#toon-alle").click()
    tables = page.evaluate(TABLES_JS)
    assert tables, "no figures table"
    shown = [dict(zip(t["header"], r)) for t in tables for r in t["rows"]]
    flags = [f for t in tables for f in t["provisional"]]
    assert len(shown) == len(rows)
    for s, published, flag in zip(shown, rows, flags):
        assert sorted(s) == sorted(published)  # every column (the headline column is shown right after the grain)
        for column, value in published.items():
            from_page(s[column], value)
        assert flag == (published.get("is_provisional") == "true")
    return len(shown)


def check_charts(opened: Opened) -> int:
    page = opened.page
    n = page.locator("script.chart-spec").count()
    if n:
        page.wait_for_selector("body[data-charts='rendered']", timeout=30000)
    for i in range(n):
        vis = page.locator("div.vis").nth(i)
        assert vis.get_attribute("data-rendered") == "true"
        marks = vis.locator("svg .role-mark path, svg .role-mark line, svg .role-mark text, canvas")
        assert marks.count() > 0, f"chart {i} has no marks"
        summary = page.locator("figure.chart p.summary").nth(i).text_content()
        assert summary and len(summary) > 20
        assert page.locator("figure.chart details table.chart-data").nth(i).locator("tbody tr").count() > 0
    return n
