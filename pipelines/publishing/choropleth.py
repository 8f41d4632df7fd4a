"""The site's map page (kaart.html): a choropleth of the 12 provinces, one map per value of the mart's
`map` declaration's `by` columns (sector and measure), coloured by growth versus the baseline year on a
diverging scale; suppressed provinces hatched. What is Python here, without HTML and without site.py:

- the declaration: the mart's model meta `map` in dbt_project/models/marts/_marts.yml (read through
  dbt_settings.mart_declarations), with defaults for the column names (MAP_DEFAULTS);
- the geometry: static/netherlands.svg, shipped in the repository unchanged (@svg-maps/netherlands
  1.0.0, Zubayer Rahman, CC BY 4.0; static/netherlands.BRON.md), turned into static/provincies.js in the
  site once (a page opened from file:// may load a <script src>, not fetch() an SVG or <use> one), its
  points rounded to whole units of the viewBox (compact_path: 26 KB instead of 68 KB of the 5 MB budget);
- the areas: which data row goes to which SVG path, through the seed provinces.csv (provincie_code ->
  svg_id), the one place the 12 provinces are declared. A row whose code is not in the seed (the stated
  `onbekend` row) is in the table and in a note beside the map, never on it;
- the colour scale: 7 classes, symmetric around 0 (RdBu of ColorBrewer, colour-blind safe), one scale per
  map (sector and measure, all years, so the years of one map compare), in nice steps.

static/kaart.js draws the map and the table from the version's cijfers.js as these functions describe
them (the browser tests compare the colours and the table with data.csv).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from pipelines.dbt_settings import mart_declarations, seed_rows

STATIC = Path(__file__).parent / "static"
GEOMETRY_SVG = STATIC / "netherlands.svg"
GEOMETRY_LICENCE = STATIC / "netherlands.LICENSE.md"
GEOMETRY_SCRIPT = "provincies.js"              # in site/static/ (the page states source and licence)
MAP_PAGE = "kaart.html"
ATTRIBUTION = {
    "package": "@svg-maps/netherlands 1.0.0",
    "author": "Zubayer Rahman",
    "source": "https://github.com/VictorCazanave/svg-maps",
    "based_on": "https://mapsvg.com/maps/netherlands",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
}

# The columns the map reads unless the declaration names others.
MAP_DEFAULTS = {"by": ["sector", "measure"], "year": "year", "area": "provincie_code", "name": "provincie",
                "colour": "growth_pct", "value": "value", "suppression": "suppression",
                "provisional": "is_provisional", "baseline": "baseline_year", "title": "Groei per provincie"}

# ColorBrewer RdBu, 7 classes: decline red, growth blue, about equal near white.
COLOURS = ["#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"]
NO_FIGURE = "#d4d4d4"      # a province without a growth figure (no row, or no baseline)
HATCH = "url(#arcering)"   # a suppressed province: the SVG pattern of kaart.html
NICE_STEPS = [1, 2, 2.5, 5, 10, 15, 20, 25, 50, 75, 100, 150, 200, 250, 500, 1000, 2500, 5000, 10000]


# --- the declaration --------------------------------------------------------------------------------------

def declaration(mart: str) -> dict | None:
    """The mart's `map` declaration with the defaults filled in, or None: the mart has no map page."""
    decl = mart_declarations().get(mart, {}).get("map")
    if not decl:
        return None
    return {**MAP_DEFAULTS, **decl, "by": list(decl.get("by") or MAP_DEFAULTS["by"])}


def usable(decl: dict | None, rows: list[dict]) -> bool:
    """A map page is written for a declared mart whose rows have the columns it reads."""
    if not decl or not rows:
        return False
    needed = [*decl["by"], decl["year"], decl["area"], decl["name"], decl["colour"], decl["value"]]
    return all(c in rows[0] for c in needed)


# --- the geometry -------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def original_geometry() -> dict:
    """static/netherlands.svg as {"viewBox": "0 0 613 724", "paths": {svg id: path data}} (file order)."""
    root = ET.parse(GEOMETRY_SVG).getroot()
    ns = "{http://www.w3.org/2000/svg}"
    paths = {p.get("id"): re.sub(r"\s+", " ", p.get("d")).strip() for p in root.iter(f"{ns}path")}
    return {"viewBox": root.get("viewBox"), "paths": paths}


_PATH_TOKEN = re.compile(r"[A-Za-z]|-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def rings(d: str) -> list[list[tuple[float, float]]]:
    """The closed rings of a path written as the shipped file writes them (relative `m` with implicit
    relative line-tos, `z`), as absolute points. Another command is an error: the file would have changed."""
    tokens = _PATH_TOKEN.findall(d)
    out: list[list[tuple[float, float]]] = []
    ring: list[tuple[float, float]] | None = None
    x = y = 0.0
    start = (0.0, 0.0)
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "m":
            ring, i = [], i + 1
            continue
        if t in ("z", "Z"):
            if ring:
                out.append(ring)
            ring, (x, y), i = None, start, i + 1
            continue
        if t.isalpha() or ring is None:
            raise ValueError(f"path command {t!r}: only relative m ... z is read (netherlands.svg changed?)")
        x, y = x + float(t), y + float(tokens[i + 1])
        i += 2
        if not ring:
            start = (x, y)
        ring.append((x, y))
    if ring:
        out.append(ring)
    return out


def compact_path(d: str) -> str:
    """The same rings with every point rounded to a whole unit of the viewBox (613 x 724: under half a pixel on
    a laptop or a phone), written as relative steps between the rounded points (so no error adds up, and two
    provinces that share a border still share it), repeated points left out: 26 KB instead of 68 KB."""
    out = []
    cx = cy = 0
    for ring in rings(d):
        points = [(round(px), round(py)) for px, py in ring]
        steps, (lx, ly) = [], (cx, cy)
        for j, (px, py) in enumerate(points):
            if j and (px, py) == (lx, ly):
                continue
            steps.append(f"{px - lx},{py - ly}")
            lx, ly = px, py
        out.append("m" + " ".join(steps) + "z")
        cx, cy = points[0]
    return "".join(out)


@lru_cache(maxsize=1)
def geometry() -> dict:
    """The geometry the site draws: the viewBox and each province's path (compact_path of the file's)."""
    original = original_geometry()
    return {"viewBox": original["viewBox"], "paths": {k: compact_path(d) for k, d in original["paths"].items()}}


def geometry_script(json_for_script) -> str:
    """site/static/provincies.js: the geometry as a script that sets window.betamonitorProvincies, with
    its source and licence (json_for_script: site.py's one helper for JSON inside a script)."""
    a = ATTRIBUTION
    return ("/* Provinciegrenzen van Nederland: " + a["package"] + " van " + a["author"] + " (" + a["source"]
            + "), naar een kaart van MapSVG (" + a["based_on"] + "). Licentie " + a["licence"] + " ("
            + a["licence_url"] + "; de tekst staat in de repository naast netherlands.svg). Gewijzigd: de "
            "paden en de viewBox uit netherlands.svg als script, de punten afgerond op hele eenheden van de "
            "viewBox. */\n"
            "window.betamonitorProvincies = " + json_for_script(geometry()) + ";\n")


def licence_text() -> str:
    return GEOMETRY_LICENCE.read_text(encoding="utf-8")


# --- the areas ------------------------------------------------------------------------------------------------

def provinces() -> list[dict]:
    """The seed provinces.csv, in its order (CBS code PV20..PV31: north to south, roughly)."""
    return [dict(r) for r in seed_rows("provinces")]


def area_ids() -> dict[str, str]:
    """provincie_code -> the SVG path id (seed provinces, column svg_id)."""
    return {r["provincie_code"]: r["svg_id"] for r in provinces()}


def area_order() -> dict[str, int]:
    """provincie_code -> its place in the seed (the order of the table and of the keyboard on the map)."""
    return {r["provincie_code"]: i for i, r in enumerate(provinces())}


def row_order(rows: list[dict], area: str) -> list[dict]:
    """Rows in the seed's order of their area; rows not on the map (`onbekend`) last, as they came."""
    order = area_order()
    return sorted(rows, key=lambda r: order.get(r[area], len(order)))


# --- selections -----------------------------------------------------------------------------------------------

def combinations(rows: list[dict], decl: dict) -> list[tuple[str, ...]]:
    """The values of the `by` columns that have rows, in the order of the file."""
    return list(dict.fromkeys(tuple(r[c] for c in decl["by"]) for r in rows))


def years_of(rows: list[dict], decl: dict, key: tuple[str, ...]) -> list[str]:
    return sorted({r[decl["year"]] for r in rows if tuple(r[c] for c in decl["by"]) == key}, key=int)


def default_selection(rows: list[dict], decl: dict) -> dict[str, str]:
    """What the page shows first: the declaration's `default` (e.g. {sector: ho, measure: instroom}) when
    it has rows, else the first combination in the file; its latest year."""
    combos = combinations(rows, decl)
    wanted = tuple(str((decl.get("default") or {}).get(c, "")) for c in decl["by"])
    key = wanted if wanted in combos else combos[0]
    return {**dict(zip(decl["by"], key)), decl["year"]: years_of(rows, decl, key)[-1]}


def selected(rows: list[dict], decl: dict, selection: dict[str, str]) -> list[dict]:
    """The rows of one map: one per area, in the seed's order, `onbekend` last."""
    keys = [*decl["by"], decl["year"]]
    return row_order([r for r in rows if all(r[k] == selection[k] for k in keys)], decl["area"])


# --- the colour scale -------------------------------------------------------------------------------------------

def _number(text: str) -> float | None:
    try:
        return float(Decimal(text)) if text not in ("", None) else None
    except InvalidOperation:
        return None


def nice_step(largest: float) -> float:
    """The smallest nice step s with 4 s >= the largest absolute growth: the classes are bounded at
    ±s, ±2s and ±3s, so the outer classes hold everything from 3s on (at most 4s in these figures)."""
    for step in NICE_STEPS:
        if 4 * step >= largest:
            return step
    return float(10 ** math.ceil(math.log10(largest / 4)))


def _pct(x: float) -> str:
    text = f"{x:.10g}".replace(".", ",")
    return text if x <= 0 else f"+{text}"


def scale(values: list[str]) -> dict:
    """The 7 colour classes of one map from all its growth figures (text as in data.csv; empty ones are
    left out): thresholds [-3s, -2s, -s, s, 2s, 3s]; a figure g is in class i = the number of thresholds
    <= g (class 3, from -s up to s, is about equal). Labels in Dutch, for the legend."""
    numbers = [abs(x) for x in (_number(v) for v in values) if x is not None]
    s = nice_step(max(numbers, default=0.0))
    t = [-3 * s, -2 * s, -s, s, 2 * s, 3 * s]
    labels = [f"minder dan {_pct(t[0])}%"] + [f"{_pct(t[i])}% tot {_pct(t[i + 1])}%" for i in range(5)] + \
        [f"{_pct(t[5])}% of meer"]
    return {"step": s, "thresholds": t, "colours": list(COLOURS), "labels": labels}


def colour_class(growth: str, sc: dict) -> int | None:
    """The class of a growth figure (text as in data.csv), None when it is empty (static/kaart.js: the same)."""
    g = _number(growth)
    if g is None:
        return None
    return sum(1 for t in sc["thresholds"] if g >= t)


def fill(row: dict | None, decl: dict, sc: dict) -> str:
    """The fill of a province on the map: hatched when suppressed, grey without a growth figure, else its
    class's colour (static/kaart.js: the same; the browser tests compare)."""
    if row is None:
        return NO_FIGURE
    if row.get(decl["suppression"]) == "c":
        return HATCH
    cls = colour_class(row[decl["colour"]], sc)
    return NO_FIGURE if cls is None else sc["colours"][cls]


def scales(rows: list[dict], decl: dict) -> dict[str, dict]:
    """One scale per combination of the `by` values (key: the values joined by U+001F), from the rows of
    the areas on the map (not `onbekend`), all years."""
    on_map = area_ids()
    by_key: dict[str, list[str]] = {}
    for r in rows:
        key = "\u001f".join(r[c] for c in decl["by"])
        values = by_key.setdefault(key, [])
        if r[decl["area"]] in on_map:
            values.append(r[decl["colour"]])
    return {key: scale(values) for key, values in by_key.items()}
