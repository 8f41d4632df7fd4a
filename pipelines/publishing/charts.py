"""The site's charts: Vega-Lite v6 specs with their data inline, drawn in the browser by static/site.js
(vega-embed, Dutch number notation). The one module that writes chart specs.

Which charts a mart has is declared with the mart, in its model meta in dbt_project/models/marts/_marts.yml
(`charts`, `overview`, `headline`, read through dbt_settings.mart_declarations): each entry names a kind
drawn here (`lines`, `benchmark`, `audit`, `judgements`), the columns that split the rows over charts
(`by`), the columns that make a line (`series`), the plotted column (`y`, its axis title `axis`), filters
(`where`, `skip`) and a title whose `{column}` is that column's value in Dutch.

What every line chart shows, so that a statistician can sign it:
- the width of its container (`"width": "container"`, autosize fit-x): it fits a phone; legends sit
  below (series, at most two columns; site.js makes it one on a narrow screen) and above (status);
- provisional figures (`is_provisional`) as open diamonds, the legend saying "voorlopig";
- for figures with masked DUO cells a band from the lower to the upper bound (value_low..value_high;
  for a group's growth the exact range from the bounds of the value and of the baseline value);
- a target only where the figures have one (target_growth_pct), as a dashed line up to its target
  year with the label "doel <jaar>: +<waarde>%";
- aggregate sectors (seed sector_aggregates: ho = hbo + wo, havo_vwo = havo + vwo) as thick lines in
  dark tones, their parts in a fixed palette of clear colours;
- Dutch words for every code (texts_nl.code_label), in legends, tooltips, titles and tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.dbt_settings import mart_declarations, sector_parts
from pipelines.publishing.texts_nl import code_label, nl_number

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
# Parts: clear, distinct colours (contrast >= 3:1 on white); aggregates: dark tones, drawn thick.
PALETTE = ["#1f77b4", "#d95f02", "#1b9e77", "#e7298a", "#7570b3", "#a6761d", "#66a61e", "#5f5f5f"]
AGGREGATE_PALETTE = ["#111111", "#5e1a4a", "#0b3d20"]
TARGET_COLOUR = "#b00020"
DEFINITIVE, PROVISIONAL = "definitief cijfer", "voorlopig cijfer (open ruit)"
JUDGEMENTS = ("positief", "twijfel", "negatief")
LEGEND = {"orient": "bottom", "title": None, "labelLimit": 150, "symbolType": "stroke", "symbolStrokeWidth": 3,
          "symbolOpacity": 1}


@dataclass
class Chart:
    title: str
    spec: dict
    columns: list[str]           # the data table shown with the chart
    rows: list[dict]
    summary: str


# --- small helpers -------------------------------------------------------------------------------------

def _num(v: str | None) -> float | None:
    try:
        return None if v in ("", None) else float(v)
    except ValueError:
        return None


def _value(text: str) -> float | int | None:
    """A CSV number as a number: whole numbers (counts of institutions) stay whole."""
    if re.fullmatch(r"-?\d+", text or ""):
        return int(text)
    return _num(text)


def _fmt(x: float | int) -> str:
    return nl_number(str(x)) if isinstance(x, int) else nl_number(f"{x:.1f}")


def _signed(x: float) -> str:
    text = nl_number(f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}")
    return text if text.startswith("-") else f"+{text}"


def _series_label(row: dict, cols: list[str]) -> str:
    return ", ".join(code_label(row[c]) for c in cols)


def _panels(rows: list[dict], cols: list[str]) -> list[tuple[tuple, list[dict]]]:
    out: dict[tuple, list[dict]] = {}
    for r in rows:
        out.setdefault(tuple(r[c] for c in cols), []).append(r)
    return sorted(out.items())


def _median(xs: list[float]) -> float:
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def _spec(summary: str, values: list[dict], **rest) -> dict:
    """The common frame: as wide as its container (site.css gives the container its width)."""
    return {"$schema": SCHEMA, "description": summary, "width": "container",
            "autosize": {"type": "fit-x", "contains": "padding", "resize": True},
            "data": {"values": values}, **rest}


def _masked(row: dict) -> bool:
    return (_num(row.get("n_masked_cells")) or 0) > 0


def bounds(row: dict, y: str) -> tuple[float, float] | None:
    """The range a figure lies in because of masked DUO cells (each 1 to 4), or None when it is exact.
    `value`: value_low..value_high. `growth_pct` of a group with bounds for its baseline value too
    (program_growth): 100 x value_low / baseline_value_high - 100 .. 100 x value_high / baseline_value_low
    - 100 (the masked cells of the year and of the baseline year are different cells, so both ends occur;
    the baseline year itself is exact)."""
    low, high = _num(row.get("value_low")), _num(row.get("value_high"))
    if low is None or high is None:
        return None
    if y == "value":
        return (low, high) if _masked(row) else None
    if y == "growth_pct":
        if row.get("year") and row.get("year") == row.get("baseline_year"):
            return None  # the baseline year against itself: the same cells, growth 0 exactly
        base_low, base_high = _num(row.get("baseline_value_low")), _num(row.get("baseline_value_high"))
        if base_low is None or base_high is None or base_low <= 0:
            return None
        if low == high and base_low == base_high:
            return None
        return round(100 * low / base_high - 100, 1), round(100 * high / base_low - 100, 1)
    return None


def _colour_scale(series: list[str], aggregate: set[str]) -> dict:
    parts = [s for s in series if s not in aggregate]
    totals = [s for s in series if s in aggregate]
    return {"domain": parts + totals,
            "range": [PALETTE[i % len(PALETTE)] for i in range(len(parts))]
            + [AGGREGATE_PALETTE[i % len(AGGREGATE_PALETTE)] for i in range(len(totals))]}


# --- line charts ---------------------------------------------------------------------------------------

def _targets(rows: list[dict], series_cols: list[str]) -> list[dict]:
    """One entry per distinct target (value, year) of the rows, with the series it is for."""
    found: dict[tuple[float, int], list[str]] = {}
    for r in rows:
        goal, year = _num(r.get("target_growth_pct")), r.get("target_year") or ""
        if goal is None or not year.isdigit():
            continue
        names = found.setdefault((goal, int(year)), [])
        name = _series_label(r, series_cols)
        if name not in names:
            names.append(name)
    return [{"doel": goal, "doeljaar": year, "tekst": f"doel {year}: {_signed(goal)}%",
             "geldt voor": ", ".join(sorted(names))}
            for (goal, year), names in sorted(found.items(), key=lambda kv: kv[0][1])]


def _line_chart(title: str, rows: list[dict], y: str, y_title: str, series_cols: list[str], *,
                target: bool = False, band: bool = False, x: str = "year") -> Chart:
    aggregates = set(sector_parts()) if "sector" in series_cols else set()
    values, totals = [], set()
    for r in rows:
        v = _value(r[y])
        if v is None:
            continue
        point = {"jaar": int(r[x]), "reeks": _series_label(r, series_cols), y_title: v,
                 "voorlopig": r.get("is_provisional") == "true"}
        point["cijfer"] = PROVISIONAL if point["voorlopig"] else DEFINITIVE
        point["totaal"] = r.get("sector") in aggregates
        if point["totaal"]:
            totals.add(point["reeks"])
        if "n_institutions" in r and y != "n_institutions" and _value(r["n_institutions"]) is not None:
            point["instellingen"] = _value(r["n_institutions"])
        if band:
            b = bounds(r, y)
            if b:
                point["ondergrens"], point["bovengrens"] = b
        values.append(point)
    values.sort(key=lambda v: (v["reeks"], v["jaar"]))
    if not all(isinstance(v[y_title], int) for v in values):  # one notation per chart: 1.234,0 or 1.234
        for v in values:
            v[y_title] = float(v[y_title])
    banded = {v["reeks"] for v in values if "ondergrens" in v}
    for v in values:  # a series with masked cells: its band pinches to the line where a figure is exact
        if v["reeks"] in banded and "ondergrens" not in v:
            v["ondergrens"] = v["bovengrens"] = v[y_title]
    goals = _targets(rows, series_cols) if target else []
    series = sorted({v["reeks"] for v in values})
    years = [v["jaar"] for v in values] + [g["doeljaar"] for g in goals]
    first_year, last_year = (min(years), max(years)) if years else (0, 1)
    provisional = any(v["voorlopig"] for v in values)
    is_int = all(isinstance(v[y_title], int) for v in values)
    number = ",.0f" if is_int else ",.1f"

    x_enc = {"field": "jaar", "type": "quantitative", "title": "jaar",
             "scale": {"domain": [first_year, max(last_year, first_year + 1)], "zero": False, "nice": False},
             "axis": {"format": "d", "tickMinStep": 1, "labelOverlap": True}}
    y_enc = {"field": y_title, "type": "quantitative", "title": y_title}
    if is_int:
        y_enc["axis"] = {"tickMinStep": 1}
    scale = _colour_scale(series, totals)
    colour = {"field": "reeks", "type": "nominal", "title": None, "scale": scale,
              "legend": {**LEGEND, "columns": min(2, len(series)) or 1}}
    tooltip = [{"field": "reeks", "title": "reeks"}, {"field": "jaar", "title": "jaar"},
               {"field": y_title, "title": y_title, "format": number}, {"field": "cijfer", "title": "cijfer"}]
    if banded:
        tooltip += [{"field": "ondergrens", "title": "ondergrens", "format": ",.1f"},
                    {"field": "bovengrens", "title": "bovengrens", "format": ",.1f"}]
    if any("instellingen" in v for v in values):
        tooltip.append({"field": "instellingen", "title": "instellingen", "format": ",.0f"})

    line = {"mark": {"type": "line"},
            "encoding": {"x": x_enc, "y": y_enc, "color": colour,
                         "strokeWidth": {"condition": {"test": "datum.totaal", "value": 4}, "value": 2}}}
    layers = [line]  # first: the legend of the shared colour scale takes its look from this layer
    if banded:  # over the lines, transparent: the band of the series with masked cells
        layers.append({"transform": [{"filter": "isValid(datum.ondergrens)"}],
                       "mark": {"type": "area", "opacity": 0.2},
                       "encoding": {"x": x_enc, "y": {"field": "ondergrens", "type": "quantitative", "title": y_title},
                                    "y2": {"field": "bovengrens"}, "color": colour}})
    # Definitive figures: filled circles; provisional ones: open diamonds (white inside, the series' colour
    # around), and a legend above the chart that says which is which.
    shape = ({"field": "cijfer", "type": "nominal", "title": None,
              "scale": {"domain": [DEFINITIVE, PROVISIONAL], "range": ["circle", "diamond"]},
              "legend": {"orient": "top", "title": None, "direction": "horizontal", "labelLimit": 170,
                         "symbolFillColor": "#444444", "symbolStrokeColor": "#444444"}}
             if provisional else {"value": "circle"})
    # (no `legend` here: the layers share the colour scale and its one legend, the line layer's)
    point_colour = {"field": "reeks", "type": "nominal", "title": None, "scale": scale}
    layers.append({"transform": [{"filter": "!datum.voorlopig"}],
                   "mark": {"type": "point", "filled": True, "size": 45, "opacity": 1},
                   "encoding": {"x": x_enc, "y": y_enc, "shape": shape, "color": point_colour, "tooltip": tooltip}})
    if provisional:
        layers.append({"transform": [{"filter": "datum.voorlopig"}],
                       "mark": {"type": "point", "filled": False, "fill": "#ffffff", "strokeWidth": 2, "size": 70,
                                "opacity": 1},
                       "encoding": {"x": x_enc, "y": y_enc, "shape": shape, "color": point_colour, "tooltip": tooltip}})
    goal_tooltip = [{"field": "tekst", "title": "doel"}, {"field": "geldt voor", "title": "geldt voor"}]
    for i, goal in enumerate(goals):
        data = {"values": [{**goal, "van": first_year}]}
        goal_x = {"field": "doeljaar", "type": "quantitative", "title": "jaar"}
        goal_y = {"field": "doel", "type": "quantitative", "title": y_title}
        layers.append({"data": data, "mark": {"type": "rule", "strokeDash": [6, 4], "strokeWidth": 1.5,
                                              "color": TARGET_COLOUR},
                       "encoding": {"x": {"field": "van", "type": "quantitative", "title": "jaar"},
                                    "x2": {"field": "doeljaar"},
                                    "y": goal_y, "tooltip": goal_tooltip}})
        layers.append({"data": data, "mark": {"type": "point", "shape": "cross", "filled": True, "size": 90,
                                              "color": TARGET_COLOUR},
                       "encoding": {"x": goal_x, "y": goal_y, "tooltip": goal_tooltip}})
        layers.append({"data": data, "mark": {"type": "text", "align": "right", "dx": -6, "dy": -9 if i % 2 == 0 else 15,
                                              "color": TARGET_COLOUR, "fontWeight": "bold"},
                       "encoding": {"x": goal_x, "y": goal_y, "text": {"field": "tekst"}}})

    parts = []
    for name in series:
        pts = [v for v in values if v["reeks"] == name]
        first, last = pts[0], pts[-1]
        text = (f"{name}: {first['jaar']} {_fmt(first[y_title])}, {last['jaar']} {_fmt(last[y_title])}"
                + (" (voorlopig)" if last["voorlopig"] else ""))
        if "instellingen" in last:
            text += f" ({_fmt(first['instellingen'])} en {_fmt(last['instellingen'])} instellingen)"
        parts.append(text)
    summary = f"{title}: {y_title} per jaar. " + "; ".join(parts) + "."
    for goal in goals:
        summary += f" Doel: {_signed(goal['doel'])}% in {goal['doeljaar']} voor {goal['geldt voor']} (rode stippellijn)."
    if totals:
        summary += f" Dikke lijnen zijn totalen van sectoren: {', '.join(sorted(totals))}."
    if provisional:
        summary += " Open ruiten zijn voorlopige cijfers."
    if banded:
        summary += (" De band loopt van de onder- tot de bovengrens: door DUO afgeschermde aantallen "
                    "(1 tot en met 4) maken deze cijfers onzeker.")
    spec = _spec(summary, values, height=240, layer=layers)
    columns = ["reeks", "jaar", y_title]
    if banded:
        columns += ["ondergrens", "bovengrens"]
    if any("instellingen" in v for v in values):
        columns.append("instellingen")
    return Chart(title, spec, columns + ["voorlopig"], values, summary)


# --- the other kinds -------------------------------------------------------------------------------------

def _rows_height(values: list[dict], field: str) -> int:
    """The height of a chart with one row per value of `field`, in pixels: a fixed height, because a
    discrete (step) height and the container's width make vega-lite warn (it drops fit-y)."""
    return max(60, 22 * len({v[field] for v in values}))


def _strip_chart(title: str, values: list[dict], y_field: str, y_title: str, x_title: str, summary: str,
                 columns: list[str]) -> Chart:
    spec = _spec(summary, values, height=_rows_height(values, y_field),
                 mark={"type": "tick", "thickness": 2, "color": PALETTE[0]},
                 encoding={"x": {"field": "groei %", "type": "quantitative", "title": x_title},
                           "y": {"field": y_field, "type": "nominal", "title": y_title,
                                 "axis": {"labelLimit": 140}},
                           "tooltip": [{"field": c, "title": c} for c in columns]})
    return Chart(title, spec, columns, values, summary)


def _baseline(rows: list[dict]) -> str:
    return next((r["baseline_year"] for r in rows if r.get("baseline_year")), "2000")


def _benchmark_chart(rows: list[dict], decl: dict | None = None) -> Chart:
    latest = max(int(r["year"]) for r in rows)
    base = _baseline(rows)
    values = [{"reeks": f"{code_label(r['sector'])} {code_label(r['measure'])}",
               "instelling": f"{r['instellingscode']} {r['instellingsnaam']}", "groei %": _num(r["growth_pct"])}
              for r in rows if int(r["year"]) == latest and _num(r["growth_pct"]) is not None]
    values.sort(key=lambda v: (v["reeks"], v["instelling"]))
    parts = []
    for series in sorted({v["reeks"] for v in values}):
        xs = [v["groei %"] for v in values if v["reeks"] == series]
        parts.append(f"{series}: {len(xs)} instellingen, mediaan {nl_number(f'{_median(xs):.1f}')}%, "
                     f"van {nl_number(f'{min(xs):.1f}')}% tot {nl_number(f'{max(xs):.1f}')}%")
    summary = (f"Groei per instelling in {latest} ten opzichte van {base}, een streepje per instelling "
               f"(geheime cijfers ontbreken). " + "; ".join(parts) + ".")
    title = (decl or {}).get("title") or f"Benchmark: groei per instelling in {latest}"
    return _strip_chart(title.format(year=latest), values, "reeks", "sector en stroom", f"groei % t.o.v. {base}",
                        summary, ["reeks", "instelling", "groei %"])


def _judgement_chart(rows: list[dict], decl: dict | None = None) -> Chart:
    values = [{"oordeel": f"{code_label(r['program'])}: {code_label(r['judgement'])}",
               "instelling": f"{r['instellingscode']} {r['instellingsnaam']}", "auditjaar": int(r["audit_year"]),
               "stroom": code_label(r["measure"]), "groei %": _num(r["growth_pct"])}
              for r in rows if _num(r["growth_pct"]) is not None]
    values.sort(key=lambda v: (v["oordeel"], v["auditjaar"], v["instelling"], v["stroom"]))
    parts = []
    for j in sorted({v["oordeel"] for v in values}):
        xs = [v["groei %"] for v in values if v["oordeel"] == j]
        parts.append(f"{j}: {len(xs)} cijfers, mediaan {nl_number(f'{_median(xs):.1f}')}%")
    summary = "Groei van de instelling in het auditjaar, per oordeel. " + "; ".join(parts) + "."
    return _strip_chart((decl or {}).get("title") or "Oordeel en groei van de instelling", values, "oordeel",
                        "programma en oordeel", f"groei % t.o.v. {_baseline(rows)}", summary,
                        ["oordeel", "instelling", "auditjaar", "stroom", "groei %"])


def _audit_chart(rows: list[dict], decl: dict | None = None) -> Chart:
    """Judgements per program and audit round, as horizontal stacked bars (one bar per round)."""
    values = []
    for r in rows:
        for j in JUDGEMENTS:
            values.append({"programma": code_label(r["program"]), "auditjaar": int(r["audit_year"]),
                           "ronde": f"{code_label(r['program'])} {r['audit_year']}", "oordeel": j,
                           "volgorde": JUDGEMENTS.index(j), "instellingen": int(r[f"n_{j}"])})
    parts = [f"{code_label(r['program'])} {r['audit_year']}: {r['n_positief']} positief, {r['n_twijfel']} twijfel, "
             f"{r['n_negatief']} negatief" for r in rows]
    summary = "Aantal beoordeelde instellingen per oordeel, per programma en auditronde. " + "; ".join(parts) + "."
    spec = _spec(summary, values, height=_rows_height(values, "ronde"), mark="bar",
                 encoding={"y": {"field": "ronde", "type": "nominal", "title": "programma en auditronde",
                                 "sort": None, "axis": {"labelLimit": 140}},
                           "x": {"field": "instellingen", "type": "quantitative", "stack": "zero",
                                 "title": "beoordeelde instellingen", "axis": {"tickMinStep": 1, "format": "d"}},
                           "color": {"field": "oordeel", "type": "nominal", "title": None,
                                     "scale": {"domain": list(JUDGEMENTS), "range": ["#2b8a3e", "#e8a317", "#c92a2a"]},
                                     "legend": {"orient": "bottom", "title": None, "columns": 3}},
                           "order": {"field": "volgorde"},
                           "tooltip": [{"field": "programma", "title": "programma"},
                                       {"field": "auditjaar", "title": "auditjaar"},
                                       {"field": "oordeel", "title": "oordeel"},
                                       {"field": "instellingen", "title": "instellingen"}]})
    return Chart((decl or {}).get("title") or "Oordelen per programma en auditronde", spec,
                 ["programma", "auditjaar", "oordeel", "instellingen"], values, summary)


# --- the charts of a mart, from its declaration -----------------------------------------------------------

def declaration(mart: str) -> dict:
    return mart_declarations().get(mart, {})


def _selected(rows: list[dict], decl: dict) -> list[dict]:
    where, skip = decl.get("where") or {}, decl.get("skip") or {}
    return [r for r in rows if all(r.get(c) in vs for c, vs in where.items())
            and not any(r.get(c) in vs for c, vs in skip.items())]


def _title(template: str, panel: list[dict]) -> str:
    words = {c: code_label(v) for c, v in panel[0].items()}
    return re.sub(r"\{(\w+)\}", lambda m: words.get(m.group(1), m.group(0)), template)


def _chart(decl: dict, rows: list[dict]) -> Chart | None:
    kind = decl.get("kind")
    if not rows:
        return None
    if kind == "lines":
        if decl["y"] not in rows[0]:
            return None
        return _line_chart(_title(decl.get("title", ""), rows), rows, decl["y"], decl.get("axis") or decl["y"],
                           list(decl.get("series", [])), target=bool(decl.get("target")), band=bool(decl.get("band")))
    if kind == "benchmark":
        return _benchmark_chart(rows, decl)
    if kind == "audit":
        return _audit_chart(rows, decl)
    if kind == "judgements":
        return _judgement_chart(rows, decl)
    raise ValueError(f"unknown chart kind {kind!r}")


def charts_for(mart: str, rows: list[dict]) -> list[Chart]:
    """The charts of a mart's page, in the order of its declaration; declarations that split the rows
    the same way (`by`) alternate per part (per sector: growth, then the counts)."""
    if not rows:
        return []
    groups: list[tuple[tuple, list[dict]]] = []
    for decl in declaration(mart).get("charts", []):
        by = tuple(decl.get("by", []))
        if groups and groups[-1][0] == by:
            groups[-1][1].append(decl)
        else:
            groups.append((by, [decl]))
    charts = []
    for by, decls in groups:
        if any(c not in rows[0] for c in by):
            continue
        for _, panel in _panels(rows, list(by)):
            for decl in decls:
                chart = _chart(decl, _selected(panel, decl))
                if chart:
                    charts.append(chart)
    return charts


def overview_chart(mart: str, rows: list[dict]) -> Chart | None:
    """The chart the index shows for a mart: its declared `overview` (sector_growth: instroom of every
    sector against the targets), else its first chart."""
    decl = declaration(mart).get("overview")
    if decl and rows:
        chart = _chart(decl, _selected(rows, decl))
        if chart:
            return chart
    charts = charts_for(mart, rows)
    return charts[0] if charts else None


def chart_view(chart: Chart, n: int) -> dict:
    """A chart for the `chart` macro: its id, texts, the Vega-Lite spec and its data as table cells
    (Dutch notation: 1.234,5; ja/nee; years without grouping)."""
    rows = []
    for v in chart.rows:
        cells = []
        for c in chart.columns:
            x = v.get(c)
            if isinstance(x, bool):
                cells.append({"text": "ja" if x else "nee", "num": False})
            elif isinstance(x, float):
                cells.append({"text": nl_number(f"{x:.1f}"), "num": True})
            elif isinstance(x, int) and c not in ("jaar", "auditjaar"):
                cells.append({"text": nl_number(str(x)), "num": True})
            else:
                cells.append({"text": "–" if x is None else str(x), "num": False})
        rows.append(cells)
    return {"id": f"grafiek-{n}", "title": chart.title, "summary": chart.summary, "spec": chart.spec,
            "columns": chart.columns, "rows": rows}
