"""The publication site: static, offline, Dutch pages inside the publish directory.

```
<publish>/site/index.html                         every mart with its current version (rewritten each publish)
<publish>/site/<mart>/index.html                  forwards to the current version's page
<publish>/site/<mart>/<version>/index.html        one version: charts, what changed, figures, metadata, downloads
<publish>/site/<mart>/<version>/table-*.html      the figures of a large mart, split by its first grain keys
<publish>/site/<mart>/<version>/lineage/*.html    per figure (grouped per series): where it comes from
<publish>/site/<mart>/<version>/changes.csv       what changed, as `betamonitor diff --format csv` prints it
<publish>/site/static/                            vega/vega-lite/vega-embed (from vl-convert-python), css, js
```
- A version's folder is written once, like the published version it shows (hidden temporary folder,
  then rename), and never rewritten; the pages that move with the catalog (`site/index.html`,
  `site/<mart>/index.html`) are written to a temporary file and os.replace'd. Everything is a pure
  function of the publish directory and the code: no clocks, sorted inputs.
- "What changed" compares a version with the one published before it (catalog history).
- The lineage pages are rendered from the publication's own metadata (inputs with dates and sha256,
  the winning delivery per year, the rule applied) and the dbt model chain; each gives the exact
  `betamonitor trace` command that re-reads the raw cells and proves the figure (docs/site.md says
  why the full trace is not run per figure at publish time).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipelines.publishing import diff as mart_diff
from pipelines.publishing.publisher import read_catalog

SITE = "site"
VL_VERSION = "6.4"
MAX_TABLE_ROWS = 1500      # a larger mart gets its figures table split over pages
MAX_CHANGE_ROWS = 400      # the page shows this many changed figures; changes.csv has them all
YEAR_COLUMNS = ("year", "audit_year")

DUTCH_TITLES = {
    "sector_growth": "Groei bèta/techniek per sector (instroom en uitstroom t.o.v. 2000)",
    "program_growth": "Deelnemers aan een programma tegenover niet-deelnemers",
    "gender_shares": "Aandeel vrouwen en profielkeuze naar geslacht",
    "institution_growth": "Benchmark per instelling",
    "participation_counts": "Deelnemende instellingen per programma en jaar",
    "audit_outcomes": "Oordelen van de auditcommissies per ronde",
    "audit_judgements": "Auditoordelen naast de groei van de instelling",
}
MEASURES = {"instroom": "instroom", "uitstroom": "uitstroom", "instroom_excl_informatica": "instroom excl. informatica",
            "uitstroom_excl_informatica": "uitstroom excl. informatica", "uitstroom_tl": "uitstroom TL"}


# --- small helpers -------------------------------------------------------------------------------------

def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def slug(*parts: str) -> str:
    text = "-".join(str(p) for p in parts)
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"
    return f"{base}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"


def nl_number(text: str, grouping: bool = True) -> str:
    """'1234.5' -> '1.234,5'; '-4.0' -> '-4,0'. Text that is not a number is returned as is."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text or ""):
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if grouping and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


def column_kinds(metadata: dict) -> dict[str, dict]:
    return {c["name"]: c for c in metadata.get("columns", [])}


def is_year_like(name: str, col: dict | None) -> bool:
    unit = (col or {}).get("unit") or ""
    return name in YEAR_COLUMNS or name.endswith("_year") or unit in ("year", "row", "date")


def is_numeric(col: dict | None) -> bool:
    t = ((col or {}).get("type") or "").upper()
    return t.startswith(("DECIMAL", "INTEGER", "BIGINT", "DOUBLE", "HUGEINT", "SMALLINT", "FLOAT"))


def display(name: str, value: str, col: dict | None) -> str:
    """A CSV value as shown on a page (Dutch notation); the files keep theirs."""
    if value == "":
        return "–"
    t = ((col or {}).get("type") or "").upper()
    if t == "BOOLEAN":
        return {"true": "ja", "false": "nee"}.get(value, value)
    if is_numeric(col):
        return nl_number(value, grouping=not is_year_like(name, col))
    return value


def label(value: str) -> str:
    return MEASURES.get(value, value)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# Characters that must not appear literally inside a <script> element: `<` could start `</script>` or
# `<!--` (the HTML tokenizer's escaped states, after which `</script>` no longer ends the element), `>`
# ends `-->`, `&` for pages served as XHTML, U+2028/U+2029 are line terminators in older JavaScript.
# JSON syntax never uses them outside strings, so a \u escape is the same JSON value.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_SCRIPT_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_script(payload) -> str:
    """JSON for the inside of a <script> element, whatever text the payload holds: the one helper every
    JSON that goes into a page's script passes through. `json.loads`/`JSON.parse` give back the payload."""
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    return _SCRIPT_UNSAFE_RE.sub(lambda m: _SCRIPT_UNSAFE[m.group(0)], text)


def page(title: str, body: str, *, root: str, description: str = "") -> str:
    """One HTML page; `root` is the relative path to site/ (for static files and the index)."""
    return f"""<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<meta name="description" content="{esc(description or title)}">
<link rel="stylesheet" href="{root}static/site.css">
</head>
<body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header><nav aria-label="Kruimelpad"><a href="{root}index.html">Bèta/techniek-monitor: alle publicaties</a></nav></header>
<main id="inhoud" tabindex="-1">
{body}
</main>
<footer><p>Gepubliceerd door betamonitor (Platform Bèta Techniek). Deze pagina's werken zonder internet;
de bestanden zelf (CSV, Parquet, JSON) gebruiken een punt als decimaalteken.</p></footer>
</body>
</html>
"""


# --- static files ----------------------------------------------------------------------------------------

SITE_CSS = """
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 72rem; padding: 0 1rem; line-height: 1.45; color: #1a1a1a; }
a { color: #0b4f9c; } a:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid #e17000; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 9; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .9rem; }
th, td { border: 1px solid #ccc; padding: .2rem .45rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
.chart { margin: 1rem 0 2rem; } .chart .vis { min-height: 4rem; }
.sym { text-decoration: none; font-weight: 700; }
.scroll { overflow-x: auto; } code, pre { background: #f4f4f4; padding: 0 .2rem; } pre { padding: .5rem; overflow-x: auto; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dl.meta dt { font-weight: 600; }
.note { color: #444; font-size: .9rem; }
"""

# Renders every <script type="application/json" class="chart-spec"> into the element before it,
# with Dutch number notation in the axes and tooltips. Errors go to the console (tests fail on them).
SITE_JS = """(function () {
  var nl = {decimal: ",", thousands: ".", grouping: [3], currency: ["\\u20ac\\u00a0", ""]};
  function render() {
    var specs = document.querySelectorAll("script.chart-spec");
    var pending = [];
    specs.forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      var spec = JSON.parse(node.textContent);
      pending.push(vegaEmbed(target, spec, {actions: false, renderer: "svg", formatLocale: nl}).then(function () {
        target.setAttribute("data-rendered", "true");
      }));
    });
    Promise.all(pending).then(function () { document.body.setAttribute("data-charts", "rendered"); },
                              function (err) { console.error(err); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", render); } else { render(); }
})();
"""


def vega_bundle_name() -> str:
    import vl_convert as vlc
    return f"vega-{vlc.get_vega_version()}_vega-lite-{VL_VERSION}_vega-embed-{vlc.get_vega_embed_version()}.js"


def ensure_static(site: Path) -> str:
    """Write the static files when missing or different; returns the vega bundle's file name."""
    static = site / "static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = vega_bundle_name()
    if not (static / bundle).is_file():
        import vl_convert as vlc  # the JS files of vega, vega-lite and vega-embed, from PyPI
        write_atomic(static / bundle, vlc.javascript_bundle(vl_version=VL_VERSION))
    for name, text in (("site.css", SITE_CSS), ("site.js", SITE_JS)):
        if not (static / name).is_file() or (static / name).read_text(encoding="utf-8") != text:
            write_atomic(static / name, text)
    return bundle


# --- charts ----------------------------------------------------------------------------------------------

@dataclass
class Chart:
    title: str
    spec: dict
    columns: list[str]           # the data table shown with the chart
    rows: list[dict]
    summary: str


def _num(v: str) -> float | None:
    try:
        return None if v == "" else float(v)
    except ValueError:
        return None


def _series_label(row: dict, cols: list[str]) -> str:
    return ", ".join(label(row[c]) for c in cols)


def _line_chart(title: str, rows: list[dict], x: str, y: str, y_title: str, series_cols: list[str],
                target: float | None = None) -> Chart:
    values = [{"jaar": int(r[x]), "reeks": _series_label(r, series_cols), y_title: _num(r[y]),
               "voorlopig": r.get("is_provisional") == "true"} for r in rows if _num(r[y]) is not None]
    layers = [{"mark": {"type": "line", "point": True},
               "encoding": {"x": {"field": "jaar", "type": "ordinal", "title": "jaar", "axis": {"labelAngle": 0}},
                            "y": {"field": y_title, "type": "quantitative", "title": y_title},
                            "color": {"field": "reeks", "type": "nominal", "title": None},
                            "tooltip": [{"field": "reeks"}, {"field": "jaar"},
                                        {"field": y_title, "format": ",.1f"}, {"field": "voorlopig"}]}}]
    if target is not None:
        layers.append({"data": {"values": [{"doel": target}]}, "mark": {"type": "rule", "strokeDash": [6, 4],
                                                                        "color": "#c00"},
                       "encoding": {"y": {"field": "doel", "type": "quantitative"}}})
        layers.append({"data": {"values": [{"doel": target, "tekst": f"doel +{nl_number(f'{target:.0f}')}%"}]},
                       "mark": {"type": "text", "align": "left", "dx": 4, "dy": -6, "color": "#c00"},
                       "encoding": {"y": {"field": "doel", "type": "quantitative"}, "x": {"value": 0},
                                    "text": {"field": "tekst"}}})
    summary_parts = []
    for series in sorted({v["reeks"] for v in values}):
        pts = sorted((v for v in values if v["reeks"] == series), key=lambda v: v["jaar"])
        first, last = pts[0], pts[-1]
        summary_parts.append(f"{series}: {first['jaar']} {nl_number(f'{first[y_title]:.1f}')}, "
                             f"{last['jaar']} {nl_number(f'{last[y_title]:.1f}')}"
                             + (" (voorlopig)" if last["voorlopig"] else ""))
    summary = f"{title}: {y_title} per jaar. " + "; ".join(summary_parts) + "."
    if target is not None:
        summary += f" De rode stippellijn is het doel van +{nl_number(f'{target:.0f}')}%."
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": summary,
            "width": 520, "height": 240, "data": {"values": values}, "layer": layers}
    return Chart(title, spec, ["reeks", "jaar", y_title], values, summary)


def _panels(rows: list[dict], cols: list[str]) -> list[tuple[tuple, list[dict]]]:
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault(tuple(r[c] for c in cols), []).append(r)
    return sorted(out.items())


def charts_for(mart: str, rows: list[dict]) -> list[Chart]:
    if not rows:
        return []
    if mart == "sector_growth":
        charts = []
        for (sector,), panel in _panels(rows, ["sector"]):
            targets = {_num(r["target_growth_pct"]) for r in panel if r.get("target_growth_pct")}
            charts.append(_line_chart(f"Groei {sector} t.o.v. {panel[0]['baseline_year']}", panel, "year",
                                      "growth_pct", "groei %", ["measure"],
                                      target=max(targets) if targets else None))
        return charts
    if mart == "program_growth":
        shown = [r for r in rows if not r["measure"].endswith("_excl_informatica")]
        return [_line_chart(f"{program}: {sector}, deelnemers en niet-deelnemers", panel, "year", "growth_pct",
                            "groei %", ["participation", "measure"])
                for (program, sector), panel in _panels(shown, ["program", "sector"])]
    if mart == "gender_shares":
        charts = [_line_chart(f"Aandeel vrouwen, {sector}", panel, "year", "share_pct", "aandeel %", ["measure"])
                  for (sector,), panel in _panels([r for r in rows if r["indicator"] == "share_women"], ["sector"])]
        charts += [_line_chart(f"Aandeel met een N-profiel, {sector}, {group}", panel, "year", "share_pct",
                               "aandeel %", ["gender"])
                   for (sector, group), panel in _panels([r for r in rows if r["indicator"] == "share_n_profiel"],
                                                         ["sector", "school_group"])]
        return charts
    if mart == "participation_counts":
        return [_line_chart("Deelnemende instellingen per programma", rows, "year", "n_institutions",
                            "instellingen", ["program"])]
    if mart == "institution_growth":
        return [_benchmark_chart(rows)]
    if mart == "audit_outcomes":
        return [_audit_chart(rows)]
    if mart == "audit_judgements":
        return [_judgement_chart(rows)]
    return []


def _strip_chart(title: str, values: list[dict], y_field: str, y_title: str, summary: str,
                 columns: list[str]) -> Chart:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": summary,
            "width": 520, "data": {"values": values},
            "mark": {"type": "tick", "thickness": 2},
            "encoding": {"x": {"field": "groei %", "type": "quantitative", "title": "groei % t.o.v. 2000"},
                         "y": {"field": y_field, "type": "nominal", "title": y_title},
                         "tooltip": [{"field": c} for c in columns]}}
    return Chart(title, spec, columns, values, summary)


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def _benchmark_chart(rows: list[dict]) -> Chart:
    latest = max(int(r["year"]) for r in rows)
    values = [{"reeks": f"{r['sector']} {label(r['measure'])}", "instelling": f"{r['instellingscode']} {r['instellingsnaam']}",
               "groei %": _num(r["growth_pct"])}
              for r in rows if int(r["year"]) == latest and _num(r["growth_pct"]) is not None]
    values.sort(key=lambda v: (v["reeks"], v["instelling"]))
    parts = []
    for series in sorted({v["reeks"] for v in values}):
        xs = [v["groei %"] for v in values if v["reeks"] == series]
        parts.append(f"{series}: {len(xs)} instellingen, mediaan {nl_number(f'{_median(xs):.1f}')}%, "
                     f"van {nl_number(f'{min(xs):.1f}')}% tot {nl_number(f'{max(xs):.1f}')}%")
    summary = (f"Groei per instelling in {latest} t.o.v. 2000, een streepje per instelling "
               f"(onderdrukte cijfers ontbreken). " + "; ".join(parts) + ".")
    return _strip_chart(f"Benchmark: groei per instelling in {latest}", values, "reeks", "sector en maatstaf",
                        summary, ["reeks", "instelling", "groei %"])


def _judgement_chart(rows: list[dict]) -> Chart:
    values = [{"oordeel": f"{r['program']}: {r['judgement']}", "instelling": f"{r['instellingscode']} {r['instellingsnaam']}",
               "auditjaar": int(r["audit_year"]), "maatstaf": label(r["measure"]), "groei %": _num(r["growth_pct"])}
              for r in rows if _num(r["growth_pct"]) is not None]
    values.sort(key=lambda v: (v["oordeel"], v["auditjaar"], v["instelling"], v["maatstaf"]))
    parts = []
    for j in sorted({v["oordeel"] for v in values}):
        xs = [v["groei %"] for v in values if v["oordeel"] == j]
        parts.append(f"{j}: {len(xs)} cijfers, mediaan {nl_number(f'{_median(xs):.1f}')}%")
    summary = "Groei van de instelling in het auditjaar, per oordeel. " + "; ".join(parts) + "."
    return _strip_chart("Oordeel en groei van de instelling", values, "oordeel", "programma en oordeel", summary,
                        ["oordeel", "instelling", "auditjaar", "maatstaf", "groei %"])


def _audit_chart(rows: list[dict]) -> Chart:
    values = []
    for r in rows:
        for j in ("positief", "twijfel", "negatief"):
            values.append({"programma": r["program"], "auditjaar": int(r["audit_year"]), "oordeel": j,
                           "instellingen": int(r[f"n_{j}"])})
    parts = [f"{r['program']} {r['audit_year']}: {r['n_positief']} positief, {r['n_twijfel']} twijfel, "
             f"{r['n_negatief']} negatief" for r in rows]
    summary = "Aantal beoordeelde instellingen per oordeel, per programma en auditronde. " + "; ".join(parts) + "."
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "description": summary,
            "data": {"values": values}, "mark": "bar", "width": 120, "height": 200,
            "encoding": {"column": {"field": "programma", "type": "nominal", "title": None},
                         "x": {"field": "auditjaar", "type": "ordinal"},
                         "y": {"field": "instellingen", "type": "quantitative", "stack": "zero"},
                         "color": {"field": "oordeel", "type": "nominal",
                                   "scale": {"domain": ["positief", "twijfel", "negatief"],
                                             "range": ["#2b8a3e", "#e8a317", "#c92a2a"]}},
                         "order": {"field": "oordeel"},
                         "tooltip": [{"field": "programma"}, {"field": "auditjaar"}, {"field": "oordeel"},
                                     {"field": "instellingen"}]}}
    return Chart("Oordelen per programma en auditronde", spec, ["programma", "auditjaar", "oordeel", "instellingen"],
                 values, summary)


def render_chart(chart: Chart, n: int) -> str:
    cid = f"grafiek-{n}"
    head = "".join(f"<th scope=\"col\">{esc(c)}</th>" for c in chart.columns)
    body = []
    for v in chart.rows:
        cells = []
        for c in chart.columns:
            x = v.get(c)
            if isinstance(x, bool):
                text, cls = ("ja" if x else "nee"), ""
            elif isinstance(x, float):
                text, cls = nl_number(f"{x:.1f}"), " class=\"num\""
            elif isinstance(x, int) and c not in ("jaar", "auditjaar"):
                text, cls = nl_number(str(x)), " class=\"num\""
            else:
                text, cls = ("–" if x is None else str(x)), ""
            cells.append(f"<td{cls}>{esc(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"""<figure class="chart" aria-labelledby="{cid}-titel">
<figcaption id="{cid}-titel"><strong>{esc(chart.title)}</strong></figcaption>
<div class="vis" id="{cid}" role="img" aria-label="{esc(chart.summary)}"></div>
<script type="application/json" class="chart-spec" data-target="{cid}">{json_for_script(chart.spec)}</script>
<p class="summary">{esc(chart.summary)}</p>
<details><summary>Gegevens van deze grafiek als tabel</summary>
<div class="scroll"><table class="chart-data"><caption>{esc(chart.title)}</caption>
<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div></details>
</figure>"""


# --- figures tables and lineage ---------------------------------------------------------------------------

def year_column(grain: list[str]) -> str | None:
    return next((c for c in YEAR_COLUMNS if c in grain), None)


def series_key(row: dict, grain: list[str]) -> tuple:
    y = year_column(grain)
    return tuple(row[g] for g in grain if g != y)


def figure_anchor(row: dict, grain: list[str]) -> str:
    return "f-" + slug(*(row[g] for g in grain))


def lineage_file(row: dict, grain: list[str]) -> str:
    return f"lineage/{slug(*series_key(row, grain)) if series_key(row, grain) else 'alle'}.html"


def figures_table(rows: list[dict], metadata: dict, caption: str) -> str:
    """The published rows as they are, in Dutch notation. Each row's headline figure links to its
    lineage; provisional figures carry *, suppressed ones c."""
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    names = list(rows[0].keys()) if rows else [c["name"] for c in metadata.get("columns", [])]
    indicators = [n for n in names if n not in grain]
    headline = mart_diff.headline_column(names, indicators)
    head = "".join(f"<th scope=\"col\">{esc(n)}</th>" for n in names)
    numeric = {n: is_numeric(cols.get(n)) for n in names}
    year_like = {n: is_year_like(n, cols.get(n)) for n in names}
    shown: dict[tuple[str, str], str] = {}  # (column, value) -> its escaped display text: values repeat
    out = []
    for r in rows:
        provisional = r.get("is_provisional") == "true"
        cells = []
        for n in names:
            text = shown.get((n, r[n]))
            if text is None:
                text = shown[(n, r[n])] = esc(display(n, r[n], cols.get(n)))
            num = numeric[n]
            if n == grain[0]:
                cells.append(f"<th scope=\"row\">{text}</th>")
                continue
            if n == headline:
                href = f"{lineage_file(r, grain)}#{figure_anchor(r, grain)}"
                text = f"<a href=\"{esc(href)}\" title=\"herkomst van dit cijfer\">{text}</a>"
            if n == "suppression" and r[n] == "c":
                text = "<abbr class=\"sym\" title=\"vertrouwelijk: onderdrukt\">c</abbr>"
            elif provisional and num and r[n] != "" and not year_like[n]:
                text += "<abbr class=\"sym\" title=\"voorlopig cijfer\">*</abbr>"
            cells.append(f"<td class=\"num\">{text}</td>" if num else f"<td>{text}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>\n")
    return (f"<div class=\"scroll\"><table class=\"figures\"><caption>{esc(caption)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(out)}</tbody></table></div>")


def symbols_legend(metadata: dict) -> str:
    items = ["<li><abbr class=\"sym\" title=\"voorlopig cijfer\">*</abbr> voorlopig cijfer: het nieuwste jaar "
             "van de DUO-levering waar het uit komt (<code>is_provisional</code>); een latere levering kan het "
             "nog herzien.</li>",
             "<li>– leeg in het bestand: niet van toepassing of onderdrukt (zie de kolom "
             "<code>suppression</code>).</li>"]
    for sym, meaning in sorted(metadata.get("symbols", {}).items()):
        if sym != "empty cell":
            items.append(f"<li><abbr class=\"sym\" title=\"{esc(meaning)}\">{esc(sym)}</abbr> {esc(meaning)}</li>")
        else:
            items.append(f"<li>lege cel in deze mart: {esc(meaning)}</li>")
    return "<h3>Tekens</h3><ul class=\"symbols\">" + "".join(items) + "</ul>"


# What the inputs of a figure depend on: its series, year and baseline year (not its values).
_INPUT_KEYS = ("sector", "measure", "baseline_year", "school_group", *YEAR_COLUMNS)


def _memo(memo: dict | None, key: tuple, compute):
    """`compute()`, once per `key` in `memo` (one version's lineage pages: thousands of figures share a
    few series and years); without a memo, every time."""
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def _row_key(row: dict) -> tuple:
    return tuple((k, row[k]) for k in _INPUT_KEYS if k in row)


def _input_rows(metadata: dict, row: dict, memo: dict | None = None) -> tuple[list[tuple], list[dict]]:
    """(role, delivery) for the figure's year and baseline year; deliveries superseded for them.
    `memo`: one version's cache (the result depends on the row's series and years only)."""
    return _memo(memo, ("inputs", _row_key(row)), lambda: _compute_input_rows(metadata, row, memo))


def _row_dataset(metadata: dict, row: dict, memo: dict | None) -> str | None:
    return _memo(memo, ("dataset", _row_key(row)), lambda: mart_diff.dataset_for_row(row, metadata))


def _compute_input_rows(metadata: dict, row: dict, memo: dict | None) -> tuple[list[tuple], list[dict]]:
    dataset = _row_dataset(metadata, row, memo)
    y = next((row[c] for c in YEAR_COLUMNS if c in row), None)
    if not dataset or not y:
        return [], []
    years = [(f"jaar {y}", int(y))]
    if row.get("baseline_year") and row["baseline_year"] != y:
        years.append((f"basisjaar {row['baseline_year']}", int(row["baseline_year"])))
    used, superseded = [], []
    sectors = mart_diff.row_sectors(row)  # vintages are per sector (contract 11.1)
    for role, year in years:
        for w in mart_diff.winning_deliveries(metadata, dataset, year, sectors):
            used.append((role, w, mart_diff.newest_year(w, sectors) == year))
        superseded += [dict(i, role=role)
                       for i in mart_diff.winning_deliveries(metadata, dataset, year, sectors, "years_superseded")]
    return used, superseded


def _current_inputs_for(mart: str, metadata: dict, row: dict, memo: dict | None = None) -> list[dict]:
    return _memo(memo, ("current", mart, _row_key(row)), lambda: _compute_current_inputs_for(mart, metadata, row, memo))


def _compute_current_inputs_for(mart: str, metadata: dict, row: dict, memo: dict | None) -> list[dict]:
    wanted = []
    dataset = _row_dataset(metadata, row, memo) or ""
    if dataset.startswith("ho_"):
        wanted.append("reference/croho_classification")
    if mart in ("institution_growth", "program_growth", "participation_counts", "audit_judgements"):
        wanted.append("reference/institutions")
    if mart in ("program_growth", "participation_counts") or \
            (mart == "gender_shares" and row.get("school_group", "all schools") != "all schools"):
        wanted.append("programs/")
    return [i for i in metadata.get("inputs", []) if i.get("kind") != "delivery"
            and any(i["path"].startswith(w) for w in wanted)]


def computation(mart: str, row: dict) -> str:
    d = lambda c: nl_number(row.get(c, ""))  # noqa: E731
    if row.get("suppression") == "c":
        return (f"Onderdrukt (teken c): {esc(row.get('suppression_reason') or 'zie de regel voor onthulling')}. "
                "Het cijfer zelf wordt niet gepubliceerd.")
    if mart == "gender_shares":
        return (f"share_pct = 100 × numerator / denominator = 100 × {d('numerator')} / {d('denominator')} = "
                f"{d('share_pct')} (één decimaal, half van nul af). Gemaskeerde cellen (1-4) tellen als 2,5; "
                f"{d('n_masked_cells')} gemaskeerde cellen.")
    if all(row.get(c, "") != "" for c in ("value", "baseline_value", "index", "growth_pct")):
        extra = ""
        if "n_institutions" in row:
            extra = (f" Groep: {d('n_institutions')} instellingen ({esc(row.get('participation', ''))}), in "
                     "beide jaren dezelfde instellingen.")
        return (f"value = som van de ruwe cellen van {esc(row.get('year') or row.get('audit_year'))} = {d('value')}"
                + (f" (laag {d('value_low')}, hoog {d('value_high')}, {d('n_masked_cells')} gemaskeerd)"
                   if row.get("value_low") else "")
                + f"; baseline_value = {d('baseline_value')} ({esc(row.get('baseline_year', ''))}); "
                f"index = 100 × {d('value')} / {d('baseline_value')} = {d('index')}; "
                f"growth_pct = index − 100 = {d('growth_pct')} (één decimaal, half van nul af).{extra}")
    if mart == "audit_outcomes":
        return (f"Instellingen met een oordeel in de auditwerkmap: {d('n_judged')} = {d('n_positief')} positief + "
                f"{d('n_twijfel')} twijfel + {d('n_negatief')} negatief; n_twijfel_or_negatief = "
                f"{d('n_twijfel_or_negatief')}.")
    if mart == "participation_counts":
        return (f"Instellingen met vanaf ≤ {esc(row['year'])} ≤ tot_en_met in programs/*.csv: {d('n_institutions')}; "
                f"nieuw dat jaar: {d('n_joined')}.")
    if mart == "audit_judgements":
        return (f"Oordeel uit {esc(row.get('audit_file', ''))}, rij {esc(row.get('audit_row', ''))}; de groei komt uit "
                "institution_growth voor het auditjaar." + (f" {esc(row['note'])}" if row.get("note") else ""))
    return "Zie de definities van de kolommen op de pagina van de mart."


def trace_command(mart: str, row: dict, grain: list[str], version: str) -> str | None:
    from pipelines.trace import TRACEABLE  # lazily: trace imports pandas

    if mart not in TRACEABLE:
        return None
    where = ",".join(f"{g}={row[g]}" for g in grain)
    column = "share_pct" if mart == "gender_shares" else "growth_pct"
    quoted = f"'{where}'" if re.search(r"[^A-Za-z0-9_=,.\-]", where) else where
    return f"betamonitor trace {mart} --where {quoted} --column {column} --version {version}"


def lineage_section(mart: str, row: dict, metadata: dict, version: str, files: dict[str, str],
                    memo: dict | None = None) -> str:
    """One figure: how it was computed, which deliveries it rests on, the command that proves it.
    `files` collects the input files the page names (path -> anchor), listed once with their sha256;
    `memo` caches the inputs per series and year for one version (see _input_rows)."""
    grain = metadata["grain"]
    title = ", ".join(f"{g} = {row[g]}" for g in grain)
    used, superseded = _input_rows(metadata, row, memo)

    def ref(entry: dict) -> str:
        anchor = files.setdefault(entry["path"], f"in-{len(files) + 1}")
        date = f" (geleverd {esc(entry['date'])})" if entry.get("date") else ""
        return f"<a href=\"#{anchor}\"><code>{esc(entry['path'])}</code></a>{date}"

    items = [f"<li>{esc(role)}: {ref(w)}{', voorlopig (nieuwste jaar van de levering)' if provisional else ''}</li>"
             for role, w, provisional in used]
    items += [f"<li>{esc(s['role'])}, niet gebruikt (vervangen door een nieuwere levering): {ref(s)}</li>"
              for s in superseded]
    items += [f"<li>{esc(c['kind'])} (huidige stand): {ref(c)}</li>" for c in _current_inputs_for(mart, metadata, row, memo)]
    if mart == "audit_judgements" and row.get("audit_file"):
        items.append(f"<li>auditwerkmap <code>{esc(row['audit_file'])}</code>, rij {esc(row.get('audit_row', ''))}</li>")
    inputs_html = f"<ul>{''.join(items)}</ul>" if items else \
        "<p>De invoer staat in de metadata van de publicatie (zie de pagina van de mart).</p>"
    command = trace_command(mart, row, grain, version)
    check = (f"<pre><code>{esc(command)}</code></pre>" if command else
             "<p><code>betamonitor trace</code> ondersteunt deze mart niet; de berekening en de invoer hierboven "
             "zijn de herkomst.</p>")
    return (f"<section id=\"{figure_anchor(row, grain)}\" class=\"figure-lineage\"><h2>{esc(title)}</h2>"
            f"<p><strong>Berekening.</strong> {computation(mart, row)}</p>"
            f"<p><strong>Invoer.</strong></p>{inputs_html}<p><strong>Bewijs.</strong></p>{check}</section>\n")


def lineage_page(mart: str, version: str, metadata: dict, series_rows: list[dict], memo: dict | None = None) -> str:
    grain = metadata["grain"]
    files: dict[str, str] = {}
    sections = "".join(lineage_section(mart, r, metadata, version, files, memo) for r in series_rows)
    by_path = {i["path"]: i for i in metadata.get("inputs", [])}
    listed = "".join(f"<tr id=\"{anchor}\"><td><code>{esc(path)}</code></td><td>{esc(by_path.get(path, {}).get('date', ''))}</td>"
                     f"<td><code>{esc(by_path.get(path, {}).get('sha256', ''))}</code></td></tr>"
                     for path, anchor in files.items())
    heading = ", ".join(f"{g} = {series_rows[0][g]}" for g in grain if g not in YEAR_COLUMNS)
    gate = metadata.get("quality_gate", {})
    body = (f"<h1>Herkomst: {esc(mart)} {esc(heading)}</h1>"
            f"<p>Publicatie <a href=\"../index.html\"><code>{esc(mart)} {esc(version)}</code></a>, peildatum "
            f"{esc(metadata.get('as_of'))}, codeversie <code>{esc((metadata.get('code_version') or {}).get('git_commit'))}</code>, "
            f"kwaliteitspoort {'geslaagd' if gate.get('success') else 'niet geslaagd'}. De dbt-modellen waar deze "
            f"cijfers doorheen gingen staan bij <a href=\"../index.html#modelketen\">de modelketen</a>. Het commando "
            "onder <em>Bewijs</em> leest elke ruwe cel opnieuw uit het DUO-bestand, controleert de sha256 van de "
            "invoer en rekent het cijfer na.</p>"
            f"{sections}<h2>Invoerbestanden</h2><table><thead><tr><th scope=\"col\">bestand</th>"
            f"<th scope=\"col\">leverdatum</th><th scope=\"col\">sha256</th></tr></thead><tbody>{listed}</tbody></table>")
    return page(f"Herkomst {mart} {heading}", body, root="../../../")


def model_chain_html(mart: str) -> str:
    try:
        from pipelines.trace import model_chain
        chain = model_chain(mart)
    except Exception:  # no dbt manifest here: the chain is in the dbt docs
        return "<p>De modelketen staat in de dbt-documentatie (<code>make docs</code>).</p>"
    items = "".join(f"<li><code>{esc(m['model'])}</code> (<code>{esc(m['path'])}</code>): {esc(m['description'])}</li>"
                    for m in chain)
    return f"<ol class=\"models\">{items}</ol>"


# --- a version's pages --------------------------------------------------------------------------------

def _meta_in_words(mart: str, metadata: dict, version: str) -> str:
    cols = "".join(f"<tr><th scope=\"row\"><code>{esc(c['name'])}</code></th><td>{esc(c.get('type'))}</td>"
                   f"<td>{esc(c.get('unit') or '')}</td><td>{esc(c.get('role') or '')}</td>"
                   f"<td>{esc(c.get('description') or '')}</td></tr>" for c in metadata.get("columns", []))
    notes = "".join(f"<li>{esc(n)}</li>" for n in metadata.get("footnotes", []))
    inputs = "".join(
        f"<tr><td>{esc(i.get('kind'))}</td><td><code>{esc(i.get('path'))}</code></td><td>{esc(i.get('date', ''))}</td>"
        f"<td><code>{esc(i.get('sha256'))}</code></td>"
        f"<td>{esc(', '.join(str(y) for y in i.get('years_used', [])))}</td>"
        f"<td>{esc(', '.join(str(y) for y in i.get('years_superseded', [])))}</td></tr>"
        for i in metadata.get("inputs", []))
    gate = metadata.get("quality_gate", {})
    gate_text = (f"{'geslaagd' if gate.get('success') else 'NIET geslaagd'}: suite <code>{esc(gate.get('suite'))}</code>, "
                 f"{esc(gate.get('evaluated_expectations', '?'))} verwachtingen gecontroleerd, "
                 f"{len(gate.get('failed_expectations', []))} mislukt")
    code = metadata.get("code_version", {})
    code_text = (f"<code>{esc(code.get('git_commit') or 'onbekend')}</code> ({esc(code.get('package', ''))})"
                 + (" met lokale wijzigingen" if code.get("git_dirty") else ""))
    return f"""<section aria-labelledby="metadata"><h2 id="metadata">Over deze cijfers</h2>
<p>{esc(metadata.get('description', ''))}</p>
<dl class="meta">
<dt>Versie</dt><dd><code>{esc(version)}</code></dd>
<dt>Peildatum (as-of)</dt><dd>{esc(metadata.get('as_of'))}</dd>
<dt>Korrel (één rij per)</dt><dd>{esc(', '.join(metadata.get('grain', [])))}</dd>
<dt>Aantal rijen</dt><dd>{esc(nl_number(str(metadata.get('row_count', ''))))}</dd>
<dt>Kwaliteitspoort</dt><dd>{gate_text}</dd>
<dt>Codeversie</dt><dd>{code_text}</dd>
<dt>Run</dt><dd>niet vermeld: dezelfde invoer, code en peildatum geven dezelfde versie, welke run haar ook maakt;
welke run deze versie publiceerde staat in <a href="../../../catalog.json">catalog.json</a> (<code>published_by</code>)</dd>
<dt>dbt-model</dt><dd><code>{esc(metadata.get('lineage', {}).get('dbt_model', ''))}</code></dd>
</dl>
<h3>Definities van de kolommen</h3>
<div class="scroll"><table><thead><tr><th scope="col">kolom</th><th scope="col">type</th><th scope="col">eenheid</th>
<th scope="col">rol</th><th scope="col">betekenis</th></tr></thead><tbody>{cols}</tbody></table></div>
<h3>Voetnoten</h3><ol>{notes}</ol>
<h3>Invoer</h3>
<p>Elke DUO-levering die deze versie kende, met de jaren die zij leverde en de jaren die een nieuwere levering
overnam; daarna de referentie- en programmabestanden (huidige stand).</p>
<div class="scroll"><table><thead><tr><th scope="col">soort</th><th scope="col">bestand</th><th scope="col">leverdatum</th>
<th scope="col">sha256</th><th scope="col">gebruikte jaren</th><th scope="col">vervangen jaren</th></tr></thead>
<tbody>{inputs}</tbody></table></div>
<h3 id="modelketen">Modelketen</h3>{model_chain_html(mart)}
</section>"""


REASONS_NL = [("provisional year made final", "voorlopig jaar definitief geworden"),
              ("restated by a newer delivery", "herzien door een nieuwere levering"),
              ("counting rule: reference or program file changed", "telregel: referentie- of programmabestand gewijzigd"),
              ("code changed", "code gewijzigd"), ("reason unknown", "reden onbekend"), ("new year", "nieuw jaar"),
              ("new figure", "nieuw cijfer"), ("figure removed", "cijfer vervallen"), ("delivery of", "levering van"),
              (" replaces ", " vervangt "), ("baseline year", "basisjaar"), (" restated", " herzien")]


def reason_nl(reason: str) -> str:
    """The diff's (English, as in the CLI) reason in Dutch for the pages."""
    for en, nl in REASONS_NL:
        reason = reason.replace(en, nl)
    return reason


def _changes_html(d: mart_diff.MartDiff, cols: dict) -> str:
    if d.old_version is None:
        return ("<section aria-labelledby=\"wijzigingen\"><h2 id=\"wijzigingen\">Wat is er veranderd</h2>"
                "<p>Dit is de eerste gepubliceerde versie van deze mart.</p></section>")
    n = d.counts()
    rows = []
    for c in d.changes[:MAX_CHANGE_ROWS]:
        where = f"../{d.old_version}/" if c.kind == "removed" else ""
        href = f"{where}{lineage_file(c.keys, d.grain)}#{figure_anchor(c.keys, d.grain)}"
        for col, old, new in c.values:
            rows.append(f"<tr><td><a href=\"{esc(href)}\">{esc(c.key_text())}</a></td><td>{esc({'changed': 'gewijzigd', 'added': 'nieuw', 'removed': 'vervallen'}[c.kind])}</td>"
                        f"<td><code>{esc(col)}</code></td><td class=\"num\">{esc(display(col, old, cols.get(col)))}</td>"
                        f"<td class=\"num\">{esc(display(col, new, cols.get(col)))}</td><td>{esc(reason_nl(c.reason))}</td></tr>")
    more = (f"<p>De eerste {MAX_CHANGE_ROWS} van {len(d.changes)} cijfers staan hier; alle wijzigingen staan in "
            "<a href=\"changes.csv\">changes.csv</a>.</p>" if len(d.changes) > MAX_CHANGE_ROWS else "")
    table = ("<div class=\"scroll\"><table class=\"changes\"><caption>Cijfers die verschillen van de vorige versie"
             "</caption><thead><tr><th scope=\"col\">cijfer</th><th scope=\"col\">wijziging</th>"
             "<th scope=\"col\">kolom</th><th scope=\"col\">oud</th><th scope=\"col\">nieuw</th>"
             f"<th scope=\"col\">reden</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
             if rows else "<p>Geen enkel cijfer verschilt van de vorige versie.</p>")
    return f"""<section aria-labelledby="wijzigingen"><h2 id="wijzigingen">Wat is er veranderd</h2>
<p>Vergeleken met de vorige versie <a href="../{esc(d.old_version)}/index.html"><code>{esc(d.old_version)}</code></a>:
{len(d.changes)} cijfers verschillen ({n['changed']} gewijzigd, {n['added']} nieuw, {n['removed']} vervallen).
Hetzelfde in de terminal: <code>betamonitor diff {esc(d.mart)} --from {esc(d.old_version)} --to {esc(d.new_version)}</code>;
als CSV: <a href="changes.csv">changes.csv</a>.</p>
{table}{more}</section>"""


def split_columns(metadata: dict) -> list[str]:
    return [g for g in metadata["grain"] if g not in YEAR_COLUMNS][:2]


def render_version(publish_dir: Path, mart: str, version: str, previous: str | None, out: Path) -> None:
    """All pages of one version, into the (temporary) folder `out`."""
    metadata, rows = mart_diff.load_version(publish_dir, mart, version)
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    d = mart_diff.diff_rows(mart, None, None, [], version, metadata, rows) if previous is None else \
        mart_diff.diff_rows(mart, previous, *mart_diff.load_version(publish_dir, mart, previous), version, metadata, rows)
    (out / "lineage").mkdir(parents=True)
    (out / "changes.csv").write_text(mart_diff.render_csv(d), encoding="utf-8")
    title = DUTCH_TITLES.get(mart, metadata.get("title", mart))
    root = "../../"
    files = f"../../../{mart}/{version}/"

    charts = charts_for(mart, rows)
    charts_html = "".join(render_chart(c, i) for i, c in enumerate(charts, 1))
    if len(rows) > MAX_TABLE_ROWS:
        by = split_columns(metadata)
        parts = _panels(rows, by)
        links = []
        for key, part in parts:
            name = f"table-{slug(*key)}.html"
            caption = f"{title}: {', '.join(f'{c} = {v}' for c, v in zip(by, key))}"
            body = (f"<h1>{esc(caption)}</h1><p><a href=\"index.html\">Terug naar {esc(mart)} {esc(version)}</a></p>"
                    + symbols_legend(metadata) + figures_table(part, metadata, caption))
            (out / name).write_text(page(caption, body, root=root), encoding="utf-8")
            links.append(f"<li><a href=\"{name}\">{esc(', '.join(label(k) for k in key))}</a> "
                         f"({nl_number(str(len(part)))} rijen)</li>")
        table_html = (f"<p>Deze mart heeft {nl_number(str(len(rows)))} rijen; de tabel staat per "
                      f"{esc(' en '.join(by))} op een eigen pagina:</p><ul class=\"table-pages\">{''.join(links)}</ul>")
    else:
        table_html = figures_table(rows, metadata, f"{title}: alle cijfers")

    by_series: dict[str, list[dict]] = {}
    for r in rows:
        by_series.setdefault(lineage_file(r, grain), []).append(r)
    memo: dict = {}  # the inputs of each series and year, shared by this version's lineage pages
    for name, series_rows in by_series.items():
        (out / name).write_text(lineage_page(mart, version, metadata, series_rows, memo), encoding="utf-8")

    downloads = "".join(f"<li><a href=\"{files}{f}\" download>{f}</a></li>"
                        for f in ("data.csv", "data.parquet", "metadata.json", "validation.json"))
    body = f"""<h1>{esc(title)}</h1>
<p class="note">Mart <code>{esc(mart)}</code>, versie <code>{esc(version)}</code>, peildatum {esc(metadata.get('as_of'))}.
<a href="../index.html">Naar de huidige versie</a>.</p>
<nav aria-label="Op deze pagina"><ul><li><a href="#grafieken">Grafieken</a></li><li><a href="#wijzigingen">Wat is er veranderd</a></li>
<li><a href="#cijfers">Cijfers</a></li><li><a href="#metadata">Over deze cijfers</a></li><li><a href="#downloads">Downloads</a></li></ul></nav>
<section aria-labelledby="grafieken"><h2 id="grafieken">Grafieken</h2>
{charts_html or '<p>Geen grafiek voor deze mart.</p>'}</section>
{_changes_html(d, cols)}
<section aria-labelledby="cijfers"><h2 id="cijfers">Cijfers</h2>
<p>Elk cijfer linkt naar zijn herkomst: de berekening, de DUO-leveringen (datum en sha256) en het commando
dat het uit de ruwe cellen bewijst. Getallen staan hier in Nederlandse notatie; de bestanden gebruiken een punt.</p>
{symbols_legend(metadata)}
{table_html}</section>
{_meta_in_words(mart, metadata, version)}
<section aria-labelledby="downloads"><h2 id="downloads">Downloads</h2><ul>{downloads}</ul></section>
<script src="{root}static/{vega_bundle_name()}"></script>
<script src="{root}static/site.js"></script>"""
    (out / "index.html").write_text(page(f"{title} ({version})", body, root=root), encoding="utf-8")


def ensure_version(publish_dir: Path, mart: str, version: str, previous: str | None) -> Path:
    """Write a version's pages once (temporary folder + rename); an existing folder is kept as is."""
    target = publish_dir / SITE / mart / version
    if target.is_dir():
        return target
    for stale in (publish_dir / SITE / mart).glob(f".tmp-{version}-*"):  # left by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    staging = publish_dir / SITE / mart / f".tmp-{version}-{os.getpid()}"
    try:
        render_version(publish_dir, mart, version, previous, staging)
        os.rename(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return target


# --- the whole site ------------------------------------------------------------------------------------

def overview_chart(mart: str, rows: list[dict]) -> Chart | None:
    """The chart the index shows for a mart: for sector_growth instroom of every sector against the
    target, else the mart's first chart."""
    if mart == "sector_growth":
        shown = [r for r in rows if r["measure"] == "instroom"]
        targets = {_num(r["target_growth_pct"]) for r in shown if r.get("target_growth_pct")}
        if shown:
            return _line_chart("Groei van de bèta/techniek-instroom per sector t.o.v. 2000", shown, "year",
                               "growth_pct", "groei %", ["sector"], target=max(targets) if targets else None)
    charts = charts_for(mart, rows)
    return charts[0] if charts else None


def _index_page(catalog: dict, publish_dir: Path) -> str:
    items = []
    n_charts = 0
    order = list(DUTCH_TITLES)
    for mart, entry in sorted(catalog["marts"].items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order
                                                                           else len(order), kv[0])):
        version = entry["version"]
        metadata, rows = mart_diff.load_version(publish_dir, mart, version)
        gate = metadata.get("quality_gate", {})
        older = [v for v in entry.get("history", []) if v != version]
        older_html = ("<details><summary>Eerdere versies</summary><ul>" + "".join(
            f"<li><a href=\"{esc(mart)}/{esc(v)}/index.html\"><code>{esc(v)}</code></a></li>" for v in reversed(older))
            + "</ul></details>") if older else ""
        chart = overview_chart(mart, rows)
        chart_html = ""
        if chart:
            n_charts += 1
            chart_html = render_chart(chart, n_charts)
        items.append(f"""<li class="mart"><h2><a href="{esc(mart)}/{esc(version)}/index.html">{esc(DUTCH_TITLES.get(mart, mart))}</a></h2>
<p><code>{esc(mart)}</code>: versie <code>{esc(version)}</code>, peildatum {esc(entry.get('as_of'))},
{esc(nl_number(str(metadata.get('row_count', ''))))} rijen, kwaliteitspoort {'geslaagd' if gate.get('success') else 'niet geslaagd'}.
{esc(entry.get('description', ''))}</p>
<p>Downloads: <a href="../latest/{esc(mart)}.csv">CSV</a>, <a href="../latest/{esc(mart)}.parquet">Parquet</a>,
<a href="../{esc(entry['metadata'])}">metadata</a>.</p>{chart_html}{older_html}</li>""")
    body = f"""<h1>Bèta/techniek-monitor: gepubliceerde cijfers</h1>
<p>De cijfers achter de monitor van het Deltaplan Bèta/techniek: groei t.o.v. 2000 per sector, per programma,
naar geslacht, per instelling en de auditoordelen. Elke mart heeft versies; hieronder de huidige, met één grafiek.
Alle grafieken, de cijfers, wat er veranderd is en de herkomst van elk cijfer staan op de pagina van de mart.
De ingang voor programma's is <a href="../catalog.json">catalog.json</a>.</p>
<ul class="marts">{''.join(items)}</ul>
<script src="static/{vega_bundle_name()}"></script>
<script src="static/site.js"></script>"""
    return page("Bèta/techniek-monitor: gepubliceerde cijfers", body, root="")


def _forward_page(mart: str, version: str) -> str:
    body = (f"<h1>{esc(DUTCH_TITLES.get(mart, mart))}</h1><p>De huidige versie is "
            f"<a href=\"{esc(version)}/index.html\"><code>{esc(version)}</code></a>.</p>")
    return page(DUTCH_TITLES.get(mart, mart), body, root="../").replace(
        "<meta charset=\"utf-8\">", f"<meta charset=\"utf-8\">\n<meta http-equiv=\"refresh\" content=\"0; url={esc(version)}/index.html\">")


def update_site(publish_dir: Path) -> Path:
    """Bring site/ in line with catalog.json: pages for every published version that has none yet,
    then the index pages. Returns site/index.html."""
    publish_dir = Path(publish_dir)
    catalog = read_catalog(publish_dir)
    site = publish_dir / SITE
    ensure_static(site)
    for mart, entry in sorted(catalog["marts"].items()):
        history = [v for v in entry.get("history", []) if (publish_dir / mart / v / "metadata.json").is_file()]
        if entry["version"] not in history:
            history.append(entry["version"])
        for i, version in enumerate(history):
            ensure_version(publish_dir, mart, version, history[i - 1] if i > 0 else None)
        write_atomic(site / mart / "index.html", _forward_page(mart, entry["version"]))
    write_atomic(site / "index.html", _index_page(catalog, publish_dir))
    return site / "index.html"


# --- preview server ------------------------------------------------------------------------------------

# The error page of `betamonitor serve` (http.server fills in code and message; 404: "Pagina niet gevonden").
NOT_FOUND_PAGE = f"""<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>%(message)s</title></head>
<body>
<h1>%(message)s</h1>
<p>Foutcode %(code)d. Het gevraagde adres bestaat niet (meer) in deze publicatie.</p>
<p><a href="/{SITE}/index.html">Naar het overzicht van de gepubliceerde cijfers</a></p>
</body>
</html>
"""


def make_server(publish_dir: Path, port: int = 8000, host: str = "127.0.0.1"):
    """A static file server on localhost for the publish directory (port 0: any free port).

    It serves regular files inside the publish directory only: a path that resolves (through symlinks,
    at any level) outside it is 404, and so is a directory without its own index.html (no listings).
    `/` redirects to site/index.html; .csv is text/csv (UTF-8), .json application/json; a 404 is a
    Dutch page linking to the index."""
    from functools import partial
    from http import HTTPStatus
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlsplit

    root = os.path.realpath(publish_dir)

    def inside(real: str) -> bool:
        return real == root or real.startswith(root + os.sep)

    class Handler(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".csv": "text/csv; charset=utf-8",
                          ".json": "application/json", ".html": "text/html; charset=utf-8"}
        error_content_type = "text/html; charset=utf-8"
        error_message_format = NOT_FOUND_PAGE

        def log_message(self, format, *args):  # noqa: A002 - quiet; errors still surface as status codes
            pass

        def send_error(self, code, message=None, explain=None):
            """Every error is the Dutch page with a link to the index (404: "Pagina niet gevonden")."""
            if code == HTTPStatus.NOT_FOUND:
                message = "Pagina niet gevonden"
            super().send_error(code, message, explain)

        def translate_path(self, path: str) -> str:
            """The request's real path (symlinks resolved), so what is checked is what is opened."""
            candidate = super().translate_path(path)
            real = os.path.realpath(candidate)
            return real + "/" if candidate.endswith("/") and real != "/" else real

        def _refused(self, path: str) -> bool:
            if not inside(os.path.realpath(path)):
                return True
            if os.path.isdir(path):
                index = os.path.join(path, "index.html")
                return not (os.path.isfile(index) and inside(os.path.realpath(index)))
            return not os.path.isfile(path)

        def send_head(self):
            if urlsplit(self.path).path == "/" and not self._refused(os.path.join(root, SITE, "index.html")):
                self.send_response(HTTPStatus.FOUND)  # the site's index; its relative links need its URL
                self.send_header("Location", f"/{SITE}/index.html")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return None
            if self._refused(self.translate_path(self.path)):
                self.send_error(HTTPStatus.NOT_FOUND, "File not found")
                return None
            return super().send_head()

        def list_directory(self, path):  # never reached after send_head's check; never list anyway
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None

    handler = partial(Handler, directory=root)
    return ThreadingHTTPServer((host, port), handler)


def run_serve(args) -> int:
    """`betamonitor serve`: serve the publish directory until interrupted."""
    publish_dir = Path(args.publish_dir)
    if not (publish_dir / "catalog.json").is_file():
        print(f"betamonitor serve: {publish_dir} has no catalog.json: run `betamonitor run` first")
        return 1
    if not (publish_dir / SITE / "index.html").is_file():
        update_site(publish_dir)
    try:
        server = make_server(publish_dir, args.port)
    except OSError as exc:
        print(f"betamonitor serve: cannot listen on 127.0.0.1:{args.port}: {exc}")
        return 1
    print(f"serving {publish_dir.resolve()} on http://127.0.0.1:{server.server_address[1]}/{SITE}/index.html "
          "(Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
