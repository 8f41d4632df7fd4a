"""The publication site: static, offline, Dutch pages inside the publish directory.

```
<publish>/site/index.html                         every mart with its current version (rewritten each publish)
<publish>/site/<mart>/index.html                  forwards to the current version's page
<publish>/site/<mart>/<version>/index.html        one version: charts, what changed, figures, metadata, downloads
<publish>/site/<mart>/<version>/table-*.html      the figures of a large mart, one filterable page per sector
<publish>/site/<mart>/<version>/lineage/*.html    one per sector (first grain key): the lineage of the figure in #anchor
<publish>/site/<mart>/<version>/cijfers.js        the version's data.csv as a script, for the tables and lineage pages
<publish>/site/<mart>/<version>/kaart.html        a mart with a `map` declaration: the map per province (choropleth.py)
<publish>/site/<mart>/<version>/changes.csv       what changed, as `betamonitor diff --format csv` prints it
<publish>/site/<mart>/<version>/changes.json      its summary sentence (for the index)
<publish>/site/static/                            vega/vega-lite/vega-embed (from vl-convert-python), css, js, the provinces
```
- The pages are Jinja2 templates (templates/, autoescaped, StrictUndefined) fed by the view functions
  below, which build plain dicts; no HTML is built in Python strings. Chart specs are JSON data,
  written into <script> elements through the `script_json` filter (json_for_script).
- Every text a reader sees is Dutch: column labels and descriptions and the mart's title come from the
  dbt YAML meta (via metadata.json), the other texts from texts_nl.py.
- A version's folder is written once, like the published version it shows (hidden temporary folder,
  then rename). The one later change: when a newer version becomes current, the banner slot of the
  version's index and table pages gets a banner linking to the current version (rewritten atomically
  whenever the current version moves). The pages that move with the catalog (`site/index.html`,
  `site/<mart>/index.html`) are written to a temporary file and os.replace'd. Everything is a pure
  function of the publish directory and the code: no clocks, sorted inputs.
- "What changed" compares a version with the one published before it (catalog history), one row per
  figure (diff.figure_rows, the view `betamonitor diff` prints too).
- The figures tables and the lineage sections are drawn in the browser by static/tables.js from the
  version's data.csv (cijfers.js), as the view functions here describe them (figures_table_view,
  lineage_section_view): one copy of the figures per version instead of one HTML table row and one
  lineage section per figure (35 MB per publication of the sample before, ~4.3 MB now). The lineage
  comes from the publication's own metadata (inputs with dates and sha256, the winning delivery per
  year, the rule applied) and gives the exact `betamonitor trace` command that re-reads the raw cells
  and proves the figure (docs/site.md says why the full trace is not run per figure at publish time).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import jinja2
from markupsafe import Markup

from pipelines.publishing import choropleth
from pipelines.publishing import diff as mart_diff
from pipelines.publishing import texts_nl
from pipelines.publishing.charts import chart_view, charts_for, overview_chart
from pipelines.publishing import reader
from pipelines.publishing.texts_nl import code_label, nl_number

SITE = "site"
VL_VERSION = "6.4"
MAX_TABLE_ROWS = 2500      # a larger mart gets its figures table split over pages, one per sector
MAX_CHANGE_ROWS = 400      # the page shows this many changed figures; changes.csv has them all
YEAR_COLUMNS = ("year", "audit_year")
# The order of the marts on the index (others follow by name). Titles come from each mart's `title_nl`.
MART_ORDER = ("sector_growth", "regional_growth", "program_growth", "gender_shares", "institution_growth",
              "participation_counts", "audit_outcomes", "audit_judgements")
BANNER_SLOT = re.compile(r"<!--melding-->.*?<!--/melding-->", re.S)


# --- small helpers -------------------------------------------------------------------------------------

def slug(*parts: str) -> str:
    text = "-".join(str(p) for p in parts)
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"
    return f"{base}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:6]}"


def column_kinds(metadata: dict) -> dict[str, dict]:
    return {c["name"]: c for c in metadata.get("columns", [])}


def column_label(name: str, col: dict | None) -> str:
    """A column's Dutch label (dbt meta `label`), never its raw name when a label is declared."""
    return (col or {}).get("label") or name


def is_year_like(name: str, col: dict | None) -> bool:
    unit = (col or {}).get("unit") or ""
    return name in YEAR_COLUMNS or name.endswith("_year") or unit in ("year", "row", "date")


def is_numeric(col: dict | None) -> bool:
    t = ((col or {}).get("type") or "").upper()
    return t.startswith(("DECIMAL", "INTEGER", "BIGINT", "DOUBLE", "HUGEINT", "SMALLINT", "FLOAT"))


def display(name: str, value: str, col: dict | None) -> str:
    """A CSV value as shown on a page (Dutch notation, codes as words); the files keep theirs."""
    if value == "":
        return "–"
    t = ((col or {}).get("type") or "").upper()
    if t == "BOOLEAN":
        return {"true": "ja", "false": "nee"}.get(value, value)
    if is_numeric(col):
        return nl_number(value, grouping=not is_year_like(name, col))
    if name == "suppression_reason":
        return texts_nl.suppression_reason(value)
    return code_label(value)


def label(value: str) -> str:
    return code_label(value)


def mart_title(mart: str, metadata: dict) -> str:
    return metadata.get("title_nl") or metadata.get("title") or mart


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


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    # Safe inside <script>: json_for_script escapes every character that could end or confuse it.
    env.filters["script_json"] = lambda payload: Markup(json_for_script(payload))
    env.filters["segments"] = segments
    return env


# Codes and column names inside a description (`non_participants`, `ANY`, `share_pct`): shown as code.
_CODE_WORD = re.compile(r"(\b[a-z]+(?:_[a-z0-9]+)+\b|\bANY\b|\b(?:non_)?participants\b)")


def segments(text: str) -> list[dict]:
    """A description split into prose and code words, for the `prose` macro (which marks code as code)."""
    parts = _CODE_WORD.split(text or "")
    return [{"code": i % 2 == 1, "text": part} for i, part in enumerate(parts) if part]


ENV = _environment()


def render(template: str, **context) -> str:
    return ENV.get_template(template).render(**context)


# --- static files ----------------------------------------------------------------------------------------

# The site's own stylesheet and scripts (static/): site.js renders every
# <script type="application/json" class="chart-spec"> into the element before it, with Dutch number
# notation; tables.js draws the filterable figures tables and the lineage sections from a version's
# cijfers.js. Their errors go to the console, which the browser tests fail on.
# kaart.js draws the map page (kaart.html) of a mart with a `map` declaration (choropleth.py), from the
# geometry in provincies.js, which ensure_static writes from static/netherlands.svg (choropleth.geometry_script).
STATIC_FILES = ("site.css", "site.js", "tables.js", "kaart.js")


def static_text(name: str) -> str:
    return (Path(__file__).parent / "static" / name).read_text(encoding="utf-8")


def vega_bundle_name() -> str:
    import vl_convert as vlc
    return f"vega-{vlc.get_vega_version()}_vega-lite-{VL_VERSION}_vega-embed-{vlc.get_vega_embed_version()}.js"


def cache_dir() -> Path:
    """Where betamonitor keeps what is the same for every run of one installation: $BETAMONITOR_CACHE_DIR,
    else $XDG_CACHE_HOME/betamonitor, else ~/.cache/betamonitor."""
    if os.environ.get("BETAMONITOR_CACHE_DIR"):
        return Path(os.environ["BETAMONITOR_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "betamonitor"


def vega_bundle(name: str) -> str:
    """The JS files of vega, vega-lite and vega-embed as one bundle (vl-convert, from PyPI). Making it
    costs ~1.7 s of CPU, and it is the same text for every publish dir of this vl-convert version (its
    versions are in `name`), so it is made once and kept in cache_dir(); a cache that cannot be read or
    written is only slower."""
    cached = cache_dir() / name
    try:
        return cached.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    import vl_convert as vlc

    text = vlc.javascript_bundle(vl_version=VL_VERSION)
    try:
        write_atomic(cached, text)
    except OSError:
        pass
    return text


def ensure_static(site: Path) -> str:
    """Write the static files when missing or different; returns the vega bundle's file name."""
    static = site / "static"
    static.mkdir(parents=True, exist_ok=True)
    bundle = vega_bundle_name()
    if not (static / bundle).is_file():
        write_atomic(static / bundle, vega_bundle(bundle))
    made = {name: (lambda name=name: static_text(name)) for name in STATIC_FILES}
    made[choropleth.GEOMETRY_SCRIPT] = lambda: choropleth.geometry_script(json_for_script)
    for name, make in made.items():
        text = make()
        if not (static / name).is_file() or (static / name).read_text(encoding="utf-8") != text:
            write_atomic(static / name, text)
    return bundle


# --- figures tables and lineage ---------------------------------------------------------------------------

def figure_anchor(row: dict, grain: list[str]) -> str:
    return "f-" + slug(*(row[g] for g in grain))


def lineage_file(row: dict, by: list[str]) -> str:
    """The lineage page of a figure: one per value of the mart's part columns (part_columns), whose
    sections static/tables.js draws; `alle` for a mart without them."""
    return f"lineage/{slug(*(row[c] for c in by)) if by else 'alle'}.html"


def shown_columns(names: list[str], grain: list[str], headline: str) -> list[str]:
    """The columns in the order a figures table shows them: the file's order, but the headline column
    (the one that links to the lineage) right after the last grain column, so it is in view on a
    laptop without scrolling the table (the file keeps its order)."""
    last = max((i for i, n in enumerate(names) if n in grain), default=-1)
    if headline not in names or names.index(headline) <= last + 1:
        return list(names)
    rest = [n for n in names if n != headline]
    return rest[:last + 1] + [headline] + rest[last + 1:]


def figures_table_view(rows: list[dict], metadata: dict, caption: str) -> dict:
    """The published rows as they are, in Dutch notation, under the columns' Dutch labels. Each row's
    headline figure links to its lineage; provisional figures carry *, suppressed ones c. The headline
    column comes right after the grain (shown_columns)."""
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    names = list(rows[0].keys()) if rows else [c["name"] for c in metadata.get("columns", [])]
    indicators = [n for n in names if n not in grain]
    headline = mart_diff.headline_column(names, indicators)
    names = shown_columns(names, grain, headline)
    by = part_columns(metadata)
    numeric = {n: is_numeric(cols.get(n)) for n in names}
    year_like = {n: is_year_like(n, cols.get(n)) for n in names}
    shown: dict[tuple[str, str], str] = {}  # (column, value) -> its display text: values repeat
    out = []
    for r in rows:
        provisional = r.get("is_provisional") == "true"
        cells = []
        for n in names:
            value = r[n]
            text = shown.get((n, value))
            if text is None:
                text = shown[(n, value)] = display(n, value, cols.get(n))
            if n == grain[0]:
                cells.append({"th": True, "text": text})
                continue
            num = numeric[n]
            cells.append({"th": False, "num": num, "text": text,
                          "href": f"{lineage_file(r, by)}#{figure_anchor(r, grain)}" if n == headline else None,
                          "c": n == "suppression" and value == "c",
                          "prov": provisional and num and value != "" and not year_like[n]})
        out.append(cells)
    columns = [{"name": n, "label": column_label(n, cols.get(n))} for n in names]
    return {"caption": caption, "columns": columns, "rows": out, "confidential": texts_nl.CONFIDENTIAL}


def symbols_view(mart: str) -> list[dict]:
    """The symbols of a mart's tables, in Dutch (texts_nl.SYMBOLS)."""
    items = [{"sym": "*", "title": texts_nl.PROVISIONAL, "meaning": texts_nl.PROVISIONAL_TEXT}]
    for sym, meaning in sorted(texts_nl.SYMBOLS.get(mart, {"": texts_nl.EMPTY_TEXT}).items(), reverse=True):
        items.append({"sym": sym or "–", "title": meaning.split(":")[0], "meaning": meaning})
    return items


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



def computation(mart: str, row: dict, cols: dict | None = None) -> str:
    """How a figure was computed, in words (plain text; the template escapes it)."""
    cols = cols or {}
    d = lambda c: nl_number(row.get(c, ""))  # noqa: E731
    lab = lambda c: column_label(c, cols.get(c)).lower()  # noqa: E731
    if row.get("suppression") == "c":
        reason = texts_nl.suppression_reason(row.get("suppression_reason") or "") or "zie de regel voor geheimhouding"
        return f"Geheim (teken c): {reason}. Het cijfer zelf wordt niet gepubliceerd."
    if mart == "gender_shares":
        return (f"aandeel = 100 × teller / noemer = 100 × {d('numerator')} / {d('denominator')} = "
                f"{d('share_pct')} (één decimaal, half van nul af). Een afgeschermd aantal (1 tot en met 4) telt "
                f"als 2,5; {d('n_masked_cells')} afgeschermde cellen.")
    if all(row.get(c, "") != "" for c in ("value", "baseline_value", "index", "growth_pct")):
        extra = ""
        if "n_institutions" in row:
            extra = (f" Groep: {d('n_institutions')} instellingen ({code_label(row.get('participation', ''))}), "
                     "in beide jaren dezelfde instellingen.")
        year = row.get("year") or row.get("audit_year")
        return (f"aantal = som van de ruwe cellen van {year} = {d('value')}"
                + (f" (ondergrens {d('value_low')}, bovengrens {d('value_high')}, {d('n_masked_cells')} afgeschermde "
                   "cellen)" if row.get("value_low") else "")
                + f"; aantal in het basisjaar {row.get('baseline_year', '')} = {d('baseline_value')}; "
                f"indexcijfer = 100 × {d('value')} / {d('baseline_value')} = {d('index')}; "
                f"groei = indexcijfer − 100 = {d('growth_pct')}% (één decimaal, half van nul af).{extra}")
    if mart == "audit_outcomes":
        return (f"Instellingen met een oordeel in de auditwerkmap: {d('n_judged')} = {d('n_positief')} positief + "
                f"{d('n_twijfel')} twijfel + {d('n_negatief')} negatief; twijfel of negatief: "
                f"{d('n_twijfel_or_negatief')}.")
    if mart == "participation_counts":
        return (f"Instellingen die in {row['year']} aan het programma deelnemen: {d('n_institutions')}; "
                f"nieuw dat jaar: {d('n_joined')}.")
    if mart == "audit_judgements":
        return (f"Oordeel uit {row.get('audit_file', '')}, rij {row.get('audit_row', '')}; de groei komt uit de "
                "benchmark per instelling voor het auditjaar." + (f" {row['note']}" if row.get("note") else ""))
    return f"Zie de definities van de kolommen op de pagina van de cijfers ({lab(mart_diff.headline_column(list(row), []))})."


def trace_parts(mart: str, version: str) -> tuple[str, str] | None:
    """The trace command around its `--where` value (static/tables.js builds the same command)."""
    from pipelines.trace import TRACEABLE  # lazily: trace imports pandas

    if mart not in TRACEABLE:
        return None
    column = "share_pct" if mart == "gender_shares" else "growth_pct"
    return f"betamonitor trace {mart} --where ", f" --column {column} --version {version}"


def trace_command(mart: str, row: dict, grain: list[str], version: str) -> str | None:
    parts = trace_parts(mart, version)
    if parts is None:
        return None
    where = ",".join(f"{g}={row[g]}" for g in grain)
    quoted = f"'{where}'" if re.search(r"[^A-Za-z0-9_=,.\-]", where) else where
    return parts[0] + quoted + parts[1]



def figure_title(row: dict, grain: list[str], cols: dict) -> str:
    return ", ".join(f"{column_label(g, cols.get(g))} {code_label(row[g])}" for g in grain)


def lineage_section_view(mart: str, row: dict, metadata: dict, version: str, files: dict[str, str],
                         memo: dict | None = None) -> dict:
    """One figure: how it was computed, which deliveries it rests on, the command that proves it.
    `files` collects the input files the page names (path -> anchor), listed once with their sha256;
    `memo` caches the inputs per series and year for one version (see _input_rows)."""
    grain = metadata["grain"]
    cols = column_kinds(metadata)
    inputs = figure_inputs(mart, row, metadata, files, memo)
    if mart == "audit_judgements" and row.get("audit_file"):
        inputs.append({"role": f"auditwerkmap {row['audit_file']}, rij {row.get('audit_row', '')}", "href": None,
                       "path": "", "date": "", "after": ""})
    return {"anchor": figure_anchor(row, grain), "title": figure_title(row, grain, cols),
            "computation": computation(mart, row, cols), "inputs": inputs,
            "command": trace_command(mart, row, grain, version)}


def figure_inputs(mart: str, row: dict, metadata: dict, files: dict[str, str], memo: dict | None = None) -> list[dict]:
    """The deliveries and current-state files a figure rests on; they depend on the figure's series keys
    and years only (_row_key), not on its values."""
    used, superseded = _input_rows(metadata, row, memo)

    def ref(role: str, entry: dict, after: str = "") -> dict:
        anchor = files.setdefault(entry["path"], f"in-{len(files) + 1}")
        return {"role": role, "href": anchor, "path": entry["path"], "date": entry.get("date") or "", "after": after}

    inputs = [ref(role, w, ", voorlopig (nieuwste jaar van de levering)" if provisional else "")
              for role, w, provisional in used]
    inputs += [ref(f"{s['role']}, niet gebruikt (vervangen door een nieuwere levering)", s) for s in superseded]
    inputs += [ref(f"{texts_nl.INPUT_KINDS.get(c['kind'], c['kind'])} (huidige stand)", c)
               for c in _current_inputs_for(mart, metadata, row, memo)]
    return inputs


def gate_text(metadata: dict) -> str:
    return "geslaagd" if metadata.get("quality_gate", {}).get("success") else "niet geslaagd"


# --- figures tables and lineage drawn in the browser ------------------------------------------------------
# Every version folder has cijfers.js: its data.csv as a script (file:// allows no fetch(); static/tables.js
# says why and what it costs). static/tables.js draws from it
# - the figures table, filterable, with at most TABLE_LIMIT rows until "Toon alle … rijen": on the version
#   page, or for a mart with more than MAX_TABLE_ROWS rows (institution_growth: 13,000 on the sample) on one
#   page per value of its first grain column (part_columns: per sector); the page itself holds a plain
#   HTML table of the first FALLBACK_ROWS rows, for readers without JavaScript;
# - the lineage of the figure in the URL's #anchor, on one lineage page per value of the part column:
#   the computation (templates made by computation() and checked against it for every row), the inputs
#   per series and year (figure_inputs), the trace command, exactly as lineage_section_view describes it
#   (the browser tests compare the two). Static sections, one per figure, were 30 MB on the sample.

TABLE_LIMIT = 200       # rows a filterable table shows before "Toon alle … rijen"
FALLBACK_ROWS = 25      # rows of the plain HTML table under it (for readers without JavaScript)
DATA_SCRIPT = "cijfers.js"
_TOKEN = "\u0001"      # marks a column's value in a computation template: \u0001value\u0001


def is_large(rows: list[dict]) -> bool:
    return len(rows) > MAX_TABLE_ROWS


def part_columns(metadata: dict) -> list[str]:
    """The column whose values split a mart's lineage pages, and a large mart's table pages: its first
    grain column that is not the year (sector, program, indicator); none for a mart of years only."""
    return [g for g in metadata["grain"] if g not in YEAR_COLUMNS][:1]


def column_kind(name: str, col: dict | None) -> str:
    """How static/tables.js shows a value (display() here): num, year (no thousands dots), bool or text."""
    if ((col or {}).get("type") or "").upper() == "BOOLEAN":
        return "bool"
    if is_numeric(col):
        return "year" if is_year_like(name, col) else "num"
    return "text"


def columns_config(names: list[str], rows: list[dict], metadata: dict) -> list[dict]:
    """The columns for static/tables.js in the order shown: Dutch label, kind, and for text the values
    shown otherwise (codes as Dutch words, suppression reasons) as a map."""
    cols = column_kinds(metadata)
    out = []
    for n in names:
        entry = {"name": n, "label": column_label(n, cols.get(n)), "kind": column_kind(n, cols.get(n))}
        if entry["kind"] == "text":
            shown = {v: display(n, v, cols.get(n)) for v in sorted({r[n] for r in rows}) if v != ""}
            entry["map"] = {v: t for v, t in shown.items() if t != v}
        out.append(entry)
    return out


def shape_key(row: dict, names: list[str]) -> str:
    """Rows with the same empty columns and suppression symbol share a computation template."""
    return "".join("0" if row[n] == "" else "1" for n in names) + "|" + row.get("suppression", "")


def computation_template(mart: str, row: dict, cols: dict) -> str:
    """computation() with every non-empty value (but the suppression symbol) as \u0001column\u0001."""
    masked = {k: v if k == "suppression" or v == "" else f"{_TOKEN}{k}{_TOKEN}" for k, v in row.items()}
    return computation(mart, masked, cols)


def fill_template(template: str, row: dict, columns: dict[str, dict]) -> str:
    """A computation template with a row's values, as static/tables.js fills it (num: Dutch notation with
    thousands dots, text: as shown, year and bool: as in the file)."""
    parts = template.split(_TOKEN)
    for i in range(1, len(parts), 2):
        col, value = columns[parts[i]], row[parts[i]]
        parts[i] = nl_number(value) if col["kind"] == "num" else \
            col.get("map", {}).get(value, value) if col["kind"] == "text" else value
    return "".join(parts)


def input_group(row: dict, keys: list[str]) -> str:
    return "\u001f".join(row[k] for k in keys)


def lineage_part_config(mart: str, version: str, metadata: dict, rows: list[dict], names: list[str],
                        files: dict[str, str], memo: dict | None = None) -> dict:
    """What static/tables.js needs to draw any figure's lineage section of one lineage page: the
    computation per row shape (checked against computation() for every row: a row it does not reproduce
    gets its text as is, in `literal`), the inputs per series and year, the trace command's parts."""
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    columns = columns_config(names, rows, metadata)
    by_name = {c["name"]: c for c in columns}
    keys = [k for k in _INPUT_KEYS if k in names]
    templates: dict[str, str] = {}
    literal: dict[str, str] = {}
    groups: dict[str, list[list[int]]] = {}  # per series and year: its inputs as [role, href, path, date, after]
    strings: list[str] = []                  # ... each an index into `strings` (the same texts recur)
    index: dict[str, int] = {}

    def intern(text: str) -> int:
        if text not in index:
            index[text] = len(strings)
            strings.append(text)
        return index[text]

    for r in rows:
        shape = shape_key(r, names)
        if shape not in templates:
            templates[shape] = computation_template(mart, r, cols)
        text = computation(mart, r, cols)
        if fill_template(templates[shape], r, by_name) != text:
            literal[figure_anchor(r, grain)] = text
        group = input_group(r, keys)
        if group not in groups:
            groups[group] = [[intern(i["role"]), intern(i["href"] or ""), intern(i["path"]), intern(i["date"]),
                              intern(i["after"])] for i in figure_inputs(mart, r, metadata, files, memo)]
    trace = trace_parts(mart, version)
    return {"mode": "lineage", "columns": columns, "grain": grain, "shapeColumns": names, "templates": templates,
            "literal": literal, "inputKeys": keys, "groups": groups, "strings": strings,
            "trace": {"prefix": trace[0], "suffix": trace[1]} if trace else None}


def filters_view(rows: list[dict], metadata: dict, names: list[str], skip: list[str]) -> dict:
    """The filter form of a table page: a choice list per year and per code column with few values, one
    search field for the other filter columns (institution code and name)."""
    cols = column_kinds(metadata)
    selects, search = [], []
    for n in names:
        col = cols.get(n) or {}
        if col.get("role") != "filter" or n in skip:
            continue
        values = {r[n] for r in rows}
        if is_year_like(n, col) or (col.get("unit") == "code" and len(values) <= 12):
            options = sorted(({"value": v, "text": display(n, v, col)} for v in values),
                             key=lambda o: (len(o["value"]), o["value"]) if is_year_like(n, col) else o["text"])
            selects.append({"name": n, "label": column_label(n, col), "options": options})
        else:
            search.append(n)
    return {"selects": selects, "search": search,
            "search_label": " of ".join(column_label(n, cols.get(n)).lower() for n in search)}


def data_script(csv_text: str) -> str:
    """cijfers.js: the version's data.csv as a JavaScript string (json_for_script: any text is safe)."""
    return ("/* data.csv van deze versie, voor de tabellen en de herkomst (static/tables.js) */\n"
            "window.betamonitorCsv = " + json_for_script(csv_text) + ";\n")


def filterable_view(rows: list[dict], metadata: dict, caption: str, part: dict | None, root: str,
                    csv_href: str) -> dict:
    """A filterable figures table (the `filterable` macro): the filter form, the first FALLBACK_ROWS rows
    as HTML, and what static/tables.js needs to draw `rows` (the rows of `part`, else all)."""
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    names = list(rows[0].keys()) if rows else [c["name"] for c in metadata.get("columns", [])]
    headline = mart_diff.headline_column(names, [n for n in names if n not in grain])
    order = shown_columns(names, grain, headline)
    by = part_columns(metadata)
    filters = filters_view(rows, metadata, order, [part["column"]] if part else [])
    config = {"mode": "table", "part": part, "grain": grain, "headline": headline,
              "columns": columns_config(order, rows, metadata), "lineageBy": by, "limit": TABLE_LIMIT, "search": filters["search"], "confidential": texts_nl.CONFIDENTIAL}
    return {"table": figures_table_view(rows[:FALLBACK_ROWS], metadata, caption), "filters": filters,
            "config": config, "n_rows": nl_number(str(len(rows))),
            "n_fallback": nl_number(str(min(len(rows), FALLBACK_ROWS))), "all_shown": len(rows) <= FALLBACK_ROWS,
            "headline": column_label(headline, cols.get(headline)), "csv_href": csv_href,
            "data_script": DATA_SCRIPT, "tables_js": f"{root}static/tables.js"}


def render_parts(mart: str, version: str, metadata: dict, rows: list[dict], out: Path, common: dict,
                 symbols: list[dict], memo: dict) -> dict | None:
    """The lineage pages of a version, one per value of part_columns, and for a large mart a table page per
    value too. Returns the version page's list of table pages (None: the table is on the version page)."""
    grain = metadata["grain"]
    cols = column_kinds(metadata)
    by = part_columns(metadata)
    title = mart_title(mart, metadata)
    names = list(rows[0].keys()) if rows else [c["name"] for c in metadata.get("columns", [])]
    headline = mart_diff.headline_column(names, [n for n in names if n not in grain])
    large = is_large(rows)
    parts: dict[tuple, list[dict]] = {}
    for r in rows:
        parts.setdefault(tuple(r[c] for c in by), []).append(r)
    by_path = {i["path"]: i for i in metadata.get("inputs", [])}
    csv_href = f"../../../{mart}/{version}/data.csv"
    pages = []
    for key, part in sorted(parts.items()):
        words = ", ".join(code_label(k) for k in key)
        table_name = f"table-{slug(*key)}.html" if large else "index.html"
        if large:
            caption = f"{title}: {words}"
            view = filterable_view(part, metadata, caption, {"column": by[0], "value": key[0]}, "../../", csv_href)
            (out / table_name).write_text(render(
                "figures_part.html", **common, title=caption, bundle=None, heading=caption,
                back=f"{title} (versie {version})", symbols=symbols, ft=view), encoding="utf-8")
            pages.append({"href": table_name, "name": words, "n": nl_number(str(len(part)))})
        files: dict[str, str] = {}
        config = {**lineage_part_config(mart, version, metadata, part, names, files, memo),
                  "part": {"column": by[0], "value": key[0]} if by else None}
        listed = [{"anchor": anchor, "path": path, "date": by_path.get(path, {}).get("date", ""),
                   "sha256": by_path.get(path, {}).get("sha256", "")} for path, anchor in files.items()]
        heading = ", ".join(f"{column_label(c, cols.get(c))} {code_label(v)}" for c, v in zip(by, key))
        (out / lineage_file(part[0], by)).write_text(render(
            "lineage_part.html", **{**common, "root": "../../../", "description": ""},
            title=f"Herkomst: {title}" + (f", {heading}" if heading else ""), bundle=None,
            heading=f"{title}, {heading}" if heading else title, mart_title=title, version=version,
            as_of=metadata.get("as_of"), code=(metadata.get("code_version") or {}).get("git_commit") or "onbekend",
            gate=gate_text(metadata), files=listed, config=config, table_href=table_name,
            part_name=words if large else "van deze cijfers", headline=column_label(headline, cols.get(headline)),
            data_script=f"../{DATA_SCRIPT}"), encoding="utf-8")
    if not large:
        return None
    return {"by": " en ".join(column_label(c, cols.get(c)).lower() for c in by), "pages": pages}


# --- the map page (kaart.html) ---------------------------------------------------------------------------------
# A mart with a `map` declaration (choropleth.declaration: regional_growth) gets kaart.html in its version folder:
# a choropleth of the provinces per sector and measure and a year, the table of the same figures beside it. The
# page holds the first map's table as HTML (for readers without JavaScript) and the config below; static/kaart.js
# draws the map, the legend and the table of any choice from the version's cijfers.js, as map_table_view and
# choropleth.fill describe them (the browser tests compare). The geometry is site/static/provincies.js, once.

def map_table_columns(decl: dict, names: list[str]) -> list[str]:
    """The table beside the map: province, count, growth (linking to its lineage), the suppression symbol."""
    return [c for c in (decl["name"], decl["value"], decl["colour"], decl["suppression"]) if c in names]


def map_table_view(rows: list[dict], metadata: dict, decl: dict, caption: str) -> dict:
    """The rows of one map as the table beside it shows them (static/kaart.js draws the same): the province
    name as the row header, numbers in Dutch notation with * when provisional, c when suppressed, the
    growth linking to the figure's lineage section."""
    cols = column_kinds(metadata)
    grain = metadata["grain"]
    names = list(rows[0].keys()) if rows else [c["name"] for c in metadata.get("columns", [])]
    shown = map_table_columns(decl, names)
    by = part_columns(metadata)
    out = []
    for r in rows:
        provisional = r.get(decl["provisional"]) == "true"
        cells = []
        for n in shown:
            text = display(n, r[n], cols.get(n))
            if n == decl["name"]:
                cells.append({"th": True, "text": text})
                continue
            num = is_numeric(cols.get(n))
            cells.append({"th": False, "num": num, "text": text,
                          "href": f"{lineage_file(r, by)}#{figure_anchor(r, grain)}" if n == decl["colour"] else None,
                          "c": n == decl["suppression"] and r[n] == "c",
                          "prov": provisional and num and r[n] != ""})
        out.append({"code": r[decl["area"]], "cells": cells})
    return {"caption": caption, "columns": [{"name": n, "label": column_label(n, cols.get(n))} for n in shown],
            "rows": out}


def map_caption(selection: dict[str, str], decl: dict) -> str:
    """'hbo, instroom, 2007': the choice in Dutch words (static/kaart.js writes the same)."""
    return ", ".join(code_label(selection[c]) for c in [*decl["by"], decl["year"]])


def map_page_view(mart: str, version: str, metadata: dict, rows: list[dict], decl: dict) -> dict:
    """Everything kaart.html shows before static/kaart.js runs, and the config it draws from."""
    cols = column_kinds(metadata)
    names = list(rows[0].keys())
    first = choropleth.default_selection(rows, decl)
    first_rows = choropleth.selected(rows, decl, first)
    scales = choropleth.scales(rows, decl)
    first_scale = scales["\u001f".join(first[c] for c in decl["by"])]
    caption = map_caption(first, decl)
    combos = choropleth.combinations(rows, decl)
    selects = []
    for i, c in enumerate(decl["by"]):  # the options of a later list are those with rows for the choice before it
        values = dict.fromkeys(k[i] for k in combos if list(k[:i]) == [first[b] for b in decl["by"][:i]])
        selects.append({"name": c, "label": column_label(c, cols.get(c)),
                        "options": [{"value": v, "text": code_label(v), "selected": v == first[c]} for v in values]})
    key = tuple(first[c] for c in decl["by"])
    selects.append({"name": decl["year"], "label": column_label(decl["year"], cols.get(decl["year"])),
                    "options": [{"value": y, "text": y, "selected": y == first[decl["year"]]}
                                for y in choropleth.years_of(rows, decl, key)]})
    baseline = next((r[decl["baseline"]] for r in first_rows if r.get(decl["baseline"])), "")
    table_names = map_table_columns(decl, names)
    config = {"by": decl["by"], "year": decl["year"], "area": decl["area"], "name": decl["name"],
              "colour": decl["colour"], "value": decl["value"], "suppression": decl["suppression"],
              "provisional": decl["provisional"], "baseline": decl["baseline"],
              "areas": choropleth.area_ids(), "order": list(choropleth.area_order()), "scales": scales,
              "names": {r["provincie_code"]: r["provincie"] for r in choropleth.provinces()},
              "hatch": choropleth.HATCH, "noFigure": choropleth.NO_FIGURE, "first": first,
              "columns": columns_config(list(dict.fromkeys([*decl["by"], decl["year"], *table_names])), rows, metadata),
              "table": table_names, "grain": metadata["grain"], "lineageBy": part_columns(metadata),
              "confidential": texts_nl.CONFIDENTIAL}
    return {"title": decl["title"], "caption": caption, "baseline": baseline or "–", "selects": selects,
            "legend": [{"colour": c, "label": t} for c, t in zip(first_scale["colours"], first_scale["labels"])],
            "table": map_table_view(first_rows, metadata, decl, f"{caption}: aantal en groei per provincie"),
            "config": config, "confidential": texts_nl.CONFIDENTIAL, "provisional": texts_nl.PROVISIONAL_TEXT,
            "no_figure": choropleth.NO_FIGURE,
            "attribution": choropleth.ATTRIBUTION,
            "geometry_script": choropleth.GEOMETRY_SCRIPT, "csv_href": f"../../../{mart}/{version}/data.csv"}


def render_map_page(mart: str, version: str, metadata: dict, rows: list[dict], out: Path, common: dict) -> str | None:
    """kaart.html of a version whose mart declares a map (choropleth.declaration); returns its file name."""
    decl = choropleth.declaration(mart)
    if not choropleth.usable(decl, rows):
        return None
    title = mart_title(mart, metadata)
    view = map_page_view(mart, version, metadata, rows, decl)
    (out / choropleth.MAP_PAGE).write_text(render(
        "kaart.html", **common, title=f"{title}: kaart (versie {version})", bundle=None,
        heading=f"{title}: kaart per provincie", back=f"{title} (versie {version})", version=version,
        as_of=metadata.get("as_of"), map=view, data_script=DATA_SCRIPT), encoding="utf-8")
    return choropleth.MAP_PAGE


def model_chain(mart: str) -> list[dict]:
    try:
        from pipelines.trace import model_chain as chain_of
        return list(chain_of(mart))
    except Exception:  # no dbt manifest here: the chain is in the dbt docs
        return []


# --- a version's pages --------------------------------------------------------------------------------

def _min_count(metadata: dict) -> str:
    for note in metadata.get("footnotes", []):
        m = re.search(r"fewer than (\d+) persons", note)
        if m:
            return m.group(1)
    return "10"


def meta_view(mart: str, metadata: dict) -> dict:
    """'Over deze cijfers': the metadata in Dutch words."""
    cols = column_kinds(metadata)
    gate = metadata.get("quality_gate", {})
    code = metadata.get("code_version") or {}
    years = lambda i, k: ", ".join(str(y) for y in i.get(k, []))  # noqa: E731
    return {
        "description": metadata.get("description_nl") or "",
        "grain": ", ".join(column_label(g, cols.get(g)).lower() for g in metadata.get("grain", [])),
        "gate": (f"{gate_text(metadata)}: {gate.get('evaluated_expectations', '?')} controles uitgevoerd, "
                 f"{len(gate.get('failed_expectations', []))} mislukt"),
        "code": code.get("git_commit") or "onbekend", "code_dirty": bool(code.get("git_dirty")),
        "columns": [{"label": column_label(c["name"], c), "name": c["name"], "kind": texts_nl.sql_type(c.get("type")),
                     "unit": texts_nl.unit(c.get("unit")),
                     "description": c.get("description_nl") or ""} for c in metadata.get("columns", [])],
        "footnotes": texts_nl.footnotes(mart, metadata.get("footnotes", []), _min_count(metadata)),
        "inputs": [{"kind": texts_nl.INPUT_KINDS.get(i.get("kind"), i.get("kind")), "path": i.get("path"),
                    "date": i.get("date", ""), "sha256": i.get("sha256"), "used": years(i, "years_used"),
                    "superseded": years(i, "years_superseded")} for i in metadata.get("inputs", [])],
        "chain": model_chain(mart),
    }


def changes_view(d: mart_diff.MartDiff, cols: dict) -> dict:
    """'Wat is er veranderd': the summary sentence and one row per changed figure, each linking to its
    lineage (a removed figure: in the previous version)."""
    if d.old_version is None:
        return {"first": True}
    rows = mart_diff.figure_rows(d)
    by = part_columns({"grain": d.grain})
    shown = []
    for r in rows[:MAX_CHANGE_ROWS]:
        where = f"../{d.old_version}/" if r.kind == "removed" else ""
        page = lineage_file(r.keys, by)
        shown.append({"href": f"{where}{page}#{figure_anchor(r.keys, d.grain)}",
                      "figure": r.figure, "kind": r.kind_nl, "reason": r.reason,
                      "old": display(r.column, r.old, cols.get(r.column)),
                      "new": display(r.column, r.new, cols.get(r.column)),
                      "others": [{"label": column_label(c, cols.get(c)), "old": display(c, o, cols.get(c)),
                                  "new": display(c, n, cols.get(c))} for c, o, n in r.others]})
    return {"first": False, "summary": mart_diff.summary_sentence(d, rows), "old_version": d.old_version,
            "headline": column_label(d.headline, cols.get(d.headline)), "rows": shown, "total": len(rows),
            "more": len(rows) > MAX_CHANGE_ROWS}


def render_version(publish_dir: Path, mart: str, version: str, previous: str | None, out: Path) -> None:
    """All pages of one version, into the (temporary) folder `out`."""
    metadata, rows = reader.read_version(publish_dir, mart, version)
    cols = column_kinds(metadata)
    d = mart_diff.diff_rows(mart, None, None, [], version, metadata, rows) if previous is None else \
        mart_diff.diff_rows(mart, previous, *reader.read_version(publish_dir, mart, previous), version, metadata, rows)
    (out / "lineage").mkdir(parents=True)  # also for a version without rows: the folder exists
    (out / "changes.csv").write_text(mart_diff.render_csv(d), encoding="utf-8")
    (out / "changes.json").write_text(json.dumps({"previous": d.old_version, "counts": d.counts(),
                                                  "summary": mart_diff.summary_sentence(d)},
                                                 ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    title = mart_title(mart, metadata)
    common = {"root": "../../", "refresh": None, "banner": None, "description": metadata.get("description_nl") or ""}
    symbols = symbols_view(mart)

    charts = [chart_view(c, i) for i, c in enumerate(charts_for(mart, rows), 1)]
    csv_text = reader.version_paths(publish_dir, mart, version).csv.read_bytes().decode("utf-8")  # exact, \r too
    (out / DATA_SCRIPT).write_text(data_script(csv_text), encoding="utf-8")
    memo: dict = {}  # the inputs of each series and year, shared by this version's lineage pages
    table_parts = render_parts(mart, version, metadata, rows, out, common, symbols, memo) if rows else None
    table = None if table_parts or not rows else \
        filterable_view(rows, metadata, f"{title}: alle cijfers", None, "../../", f"../../../{mart}/{version}/data.csv")

    map_page = render_map_page(mart, version, metadata, rows, out, common)

    files = f"../../../{mart}/{version}/"
    downloads = [{"href": files + f, "name": f} for f in ("data.csv", "data.parquet", "metadata.json",
                                                            "validation.json")]
    page = render("version.html", **common, title=f"{title} (versie {version})", bundle=vega_bundle_name(),
                  heading=title, mart=mart, version=version, as_of=metadata.get("as_of"), charts=charts,
                  changes=changes_view(d, cols), symbols=symbols, table=table, table_parts=table_parts,
                  n_rows=nl_number(str(len(rows))), meta=meta_view(mart, metadata), downloads=downloads,
                  map_page=map_page)
    (out / "index.html").write_text(page, encoding="utf-8")


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


def mark_superseded(folder: Path, current: str | None) -> None:
    """Put the banner 'this version is replaced, the current one is …' in the slot of a version's index,
    table and map pages (`current` None: empty the slot). Only pages whose slot differs are rewritten."""
    banner = render("banner.html", banner={"href": f"../{current}/index.html", "version": current}) if current else ""
    slot = f"<!--melding-->{banner}<!--/melding-->"
    for path in sorted([folder / "index.html", *folder.glob("table-*.html"), folder / choropleth.MAP_PAGE]):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        m = BANNER_SLOT.search(text)
        if m and m.group(0) != slot:
            write_atomic(path, text[:m.start()] + slot + text[m.end():])


# --- the whole site ------------------------------------------------------------------------------------

def latest_publication(catalog: dict) -> list[str]:
    """The marts whose current version came with the latest publication: the marts made current by one
    run (`current_since`), the run whose current versions are newest (version names start with the as-of
    date)."""
    groups: dict[str, list[str]] = {}
    for mart, entry in catalog["marts"].items():
        groups.setdefault((entry.get("current_since") or {}).get("run_id") or "", []).append(mart)
    if not groups:
        return []
    run = max(groups, key=lambda r: (max(catalog["marts"][m]["version"] for m in groups[r]), r))
    return sorted(groups[run])


def _change_summary(publish_dir: Path, mart: str, version: str, previous: str) -> str:
    path = publish_dir / SITE / mart / version / "changes.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["summary"]
    except (OSError, ValueError, KeyError):  # a version rendered before changes.json existed
        return mart_diff.summary_sentence(mart_diff.diff_versions(publish_dir, mart, previous, version))


def _index_page(catalog: dict, publish_dir: Path) -> str:
    marts = []
    n_charts = 0
    latest = set(latest_publication(catalog))
    changed = []
    for mart, entry in sorted(catalog["marts"].items(), key=lambda kv: (MART_ORDER.index(kv[0]) if kv[0] in MART_ORDER
                                                                           else len(MART_ORDER), kv[0])):
        version = entry["version"]
        metadata, rows = reader.read_version(publish_dir, mart, version)
        chart = overview_chart(mart, rows)
        if chart:
            n_charts += 1
        title = mart_title(mart, metadata)
        history = entry.get("history", [])
        previous = reader.previous_version(history, version)
        if mart in latest and previous:
            changed.append({"href": f"{mart}/{version}/index.html", "title": title,
                            "summary": _change_summary(publish_dir, mart, version, previous)})
        marts.append({"name": mart, "href": f"{mart}/{version}/index.html", "title": title, "version": version,
                      "as_of": entry.get("as_of"), "n_rows": nl_number(str(metadata.get("row_count", ""))),
                      "gate": gate_text(metadata), "description": metadata.get("description_nl") or "",
                      "metadata": entry["metadata"], "chart": chart_view(chart, n_charts) if chart else None,
                      "map": f"{mart}/{version}/{choropleth.MAP_PAGE}"
                      if (publish_dir / SITE / mart / version / choropleth.MAP_PAGE).is_file() else None,
                      "older": [v for v in reversed(history) if v != version]})
    title = "Bèta/techniek-monitor: gepubliceerde cijfers"
    return render("index.html", title=title, description=title, root="", refresh=None, bundle=vega_bundle_name(),
                  marts=marts, changed=changed)


def _forward_page(mart: str, version: str, title: str) -> str:
    return render("forward.html", title=title, description=title, root="../", refresh=f"{version}/index.html",
                  bundle=None, heading=title, version=version)


def update_site(publish_dir: Path) -> Path:
    """Bring site/ in line with catalog.json: pages for every published version that has none yet, the
    banner on every superseded version's pages, then the index pages. Returns site/index.html."""
    publish_dir = Path(publish_dir)
    catalog = reader.read_catalog(publish_dir)
    site = publish_dir / SITE
    ensure_static(site)
    for mart, entry in sorted(catalog["marts"].items()):
        history = [v for v in entry.get("history", []) if reader.has_version(publish_dir, mart, v)]
        if entry["version"] not in history:
            history.append(entry["version"])
        for i, version in enumerate(history):
            folder = ensure_version(publish_dir, mart, version, history[i - 1] if i > 0 else None)
            mark_superseded(folder, None if version == entry["version"] else entry["version"])
        metadata = reader.read_metadata(publish_dir, mart, entry["version"])
        write_atomic(site / mart / "index.html", _forward_page(mart, entry["version"], mart_title(mart, metadata)))
    write_atomic(site / "index.html", _index_page(catalog, publish_dir))
    return site / "index.html"


# --- preview server ------------------------------------------------------------------------------------

# The error page of `betamonitor serve` (http.server fills in code and message; 404: "Pagina niet gevonden").
NOT_FOUND_PAGE = ENV.get_template("not_found.html").render(site=SITE)


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
