"""The figure revision check (issue 17): every figure of a mart against the version currently published.

The delivery revision check (pipelines/revisions.py) compares a restated delivery with the one before
it, on totals per sector and year. Three restatements of +3.9% each, or a restatement that keeps the
totals but moves counts between sectors or genders, pass it and publish wrong figures. This check
compares what would be published with what is published, figure by figure:

- every row of the mart's grain, every value column whose unit (column meta `unit` in
  models/marts/_marts.yml, its first word) has a threshold in the dbt var `figure_revision_thresholds`,
  is compared in DuckDB with the current version's data.parquet (catalog.json), joined on the grain;
- a count figure is beyond the thresholds when |change| > max_relative x |published| and
  |change| > min_absolute; a percentage or index when it moves more than max_points points and a count
  of the same row moved more than its min_absolute;
- the same comparison is made with the version the figures were last signed off in (the newest
  version that took in a new acceptance, else the first one published: `reference_version`), so that
  restatements arriving one per night, each within the thresholds of the night before, cannot add up
  unnoticed (nightly +3.9% restatements: counts +12.2% against the reference by the third night);
- a figure beyond the thresholds blocks when a delivery behind it (the deliveries of its winning
  member cells, `intermediate.int_figure_members`) is new since the published version (not among
  its metadata.json `inputs`) and not accepted (`landing.delivery_decisions`, decision accepted, on the
  delivery's sha256). Without a new delivery behind it (an --as-of date, a withdrawal, a reference or
  code change, --baseline-year) it is reported, not blocked. Marts outside int_figure_members: a mart
  computed from DUO cells directly would have every winning delivery behind each figure (none today);
  a mart built on another published mart (audit_judgements on institution_growth) is held back through
  that mart, and it and the program and audit marts (no deliveries) are compared and reported, never
  blocked.

The gate (assets/gates.py) writes `reports/<run_id>/figure_revisions_<mart>.csv` and adds one
"revision check: …; accept or withdraw it" line per blocked mart to its summary. No Dagster here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import duckdb
import yaml

from pipelines.dbt_settings import dbt_vars
from pipelines.paths import DBT_PROJECT_DIR
from pipelines.publishing import reader
from pipelines.publishing.csv_safety import escape_row
from pipelines.revisions import number_text, pct_text
from pipelines.trace.model import TRACEABLE
from pipelines.warehouse import relation_columns, rows_as_dicts, sql_literal

MEMBERS_MODEL = "intermediate.int_figure_members"
REPORT_FIELDS = ["column", "compared_with", "published_value", "new_value", "change", "relative_change", "threshold", "blocks",
                 "new_deliveries", "accepted_by", "note"]


def report_name(mart: str) -> str:
    return f"figure_revisions_{mart}.csv"


def thresholds() -> dict[str, dict]:
    """Per unit: {max_relative, min_absolute} (counts) or {max_points} (percentages, indexes)."""
    return {unit: {k: float(v) for k, v in t.items()} for unit, t in dbt_vars()["figure_revision_thresholds"].items()}


@lru_cache(maxsize=1)
def _column_units() -> dict[str, dict[str, str]]:
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for model in spec["models"]:
        for col in model.get("columns", []):
            meta = {**col.get("meta", {}), **col.get("config", {}).get("meta", {})}
            if meta.get("role") == "indicator" and meta.get("unit"):
                out.setdefault(model["name"], {})[col["name"]] = str(meta["unit"]).split()[0]
    return out


def compared_columns(mart: str, limits: dict[str, dict] | None = None) -> dict[str, dict]:
    """The mart's value columns that are compared, each with its unit's thresholds (declared once:
    the column units in _marts.yml, the thresholds per unit in dbt_project.yml)."""
    limits = thresholds() if limits is None else limits
    return {col: {"unit": unit, **limits[unit]} for col, unit in _column_units().get(mart, {}).items()
            if unit in limits}


@dataclass
class FigureCheck:
    mart: str
    version: str | None = None  # the published version compared with (None: nothing published)
    grain: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # every changed figure (and removed row)

    @property
    def beyond(self) -> list[dict]:
        return [r for r in self.rows if r["exceeds"]]

    @property
    def blocking(self) -> list[dict]:
        return [r for r in self.rows if r["blocks"]]

    @property
    def accepted(self) -> list[dict]:
        """Beyond the thresholds, released because every new delivery behind it was accepted."""
        return [r for r in self.rows if r["exceeds"] and not r["blocks"] and r["new_deliveries"]]

    @property
    def blocking_deliveries(self) -> list[str]:
        return sorted({d for r in self.blocking for d in r["unaccepted"]})

    def label(self, row: dict) -> str:
        return f"{self.mart} {' '.join(str(row['figure'][g]) for g in self.grain)} {row['column']}"


def _version_entry(publish_dir: Path, mart: str, version: str) -> dict | None:
    """A published version: {version, parquet (path), inputs (delivery paths), accepted (their subset
    with an acceptance recorded)}, or None when its files are gone."""
    paths = reader.version_paths(publish_dir, mart, version)
    if not paths.parquet.exists():
        return None
    meta = reader.try_metadata(publish_dir, mart, version) or {}
    deliveries = [i for i in meta.get("inputs", []) if i.get("kind") == "delivery"]
    return {"version": version, "parquet": str(paths.parquet), "inputs": [i["path"] for i in deliveries],
            "accepted": {i["path"] for i in deliveries if i.get("revision_accepted")}}


def published_version(publish_dir: Path, mart: str) -> dict | None:
    """The current version of a mart (see _version_entry), or None."""
    entry = reader.catalog_entry(publish_dir, mart)
    return _version_entry(publish_dir, mart, entry["version"]) if entry else None


def reference_version(publish_dir: Path, mart: str) -> dict | None:
    """Where the figures were last signed off: the newest published version that took in a new
    acceptance, else the first version published. Compared with too, so that restatements arriving
    one per night (each within the thresholds of the night before) cannot add up unnoticed."""
    entry = reader.catalog_entry(publish_dir, mart) or {}
    versions = [found for v in entry.get("history", []) if (found := _version_entry(publish_dir, mart, v))]
    for newer, older in zip(reversed(versions), list(reversed(versions))[1:]):
        if newer["accepted"] - older["accepted"]:
            return newer
    return versions[0] if versions else None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? "
                            "and table_name = ?", [schema, table]).fetchall()[0][0])


def compare_sql(relation: str, grain: list[str], columns: dict[str, dict]) -> str:
    """Every changed figure of `relation` against the parquet file (parameter 1), joined on the grain:
    grain columns, column, published_value, new_value, change, relative_change, exceeds, threshold."""
    g = [_q(c) for c in grain]
    cols = ", ".join(f"cast({_q(c)} as double) as {_q(c)}" for c in columns)
    on = " and ".join(f"o.{c} is not distinct from n.{c}" for c in g)
    limits = ", ".join(
        f"({sql_literal(c)}, {'true' if 'max_relative' in t else 'false'}, "
        f"{t.get('max_relative', 'null')}, {t.get('min_absolute', 'null')}, {t.get('max_points', 'null')})"
        for c, t in columns.items())
    unpivot = ", ".join(_q(c) for c in columns)  # one row per figure: (column name, value), zipped
    names = ", ".join(sql_literal(c) for c in columns)
    return f"""
        with new_rows as (select {', '.join(g)}, {cols} from {relation}),
        old_rows as (select {', '.join(g)}, {cols} from read_parquet($1)),
        new_long as (select {', '.join(g)}, unnest([{names}]) as figure_column, unnest([{unpivot}]) as new_value
                     from new_rows),
        old_long as (select {', '.join(g)}, unnest([{names}]) as figure_column,
                            unnest([{unpivot}]) as published_value
                     from old_rows),
        limits (figure_column, is_count, max_relative, min_absolute, max_points) as (values {limits}),
        pairs as (
            select {', '.join(f'o.{c}' for c in g)}, o.figure_column, o.published_value, n.new_value,
                   n.new_value - o.published_value as change,
                   l.is_count, l.max_relative, l.min_absolute, l.max_points
            from old_long as o
            inner join new_long as n on {on} and o.figure_column = n.figure_column
            inner join limits as l on l.figure_column = o.figure_column
        ),
        measured as (
            select *,
                   -- a percentage/index rests on the counts of its row: one of them moved beyond min_absolute
                   coalesce(bool_or(abs(change) > min_absolute) filter (where is_count)
                            over (partition by {', '.join(g)}), true) as row_counts_moved
            from pairs
        ),
        changed as (
            select {', '.join(g)}, figure_column, is_count, published_value, new_value, change,
                   -- a percentage or index moves in points: no relative change
                   case when is_count then change / nullif(abs(published_value), 0) end as relative_change,
                   coalesce(case when is_count
                                 then abs(change) > max_relative * abs(published_value) and abs(change) > min_absolute
                                 else abs(change) > max_points and row_counts_moved end, false) as exceeds,
                   case when is_count then '> ' || (100 * max_relative)::varchar || '% and > '
                                           || min_absolute::varchar
                        else '> ' || max_points::varchar || ' points' end as threshold,
                   null as note
            from measured
            where published_value is distinct from new_value
        ),
        removed as (
            select {', '.join(f'o.{c}' for c in g)}, '(row)' as figure_column, null::boolean as is_count,
                   null::double as published_value,
                   null::double as new_value, null::double as change, null::double as relative_change,
                   false as exceeds, null as threshold, 'published row no longer in the mart' as note
            from old_rows as o anti join new_rows as n on {on}
        )
        select * from changed union all by name select * from removed
        order by exceeds desc, is_count desc nulls last, abs(relative_change) desc nulls last,
                 abs(change) desc nulls last, {', '.join(g)}, figure_column
    """


def accepted_deliveries(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Accepted deliveries (decision on the delivery's own sha256, or on none recorded) -> accepted by."""
    if not _table_exists(con, "landing", "delivery_decisions"):
        return {}
    join = ("left join landing.deliveries as l using (delivery_file) "
            "where d.sha256 is null or l.sha256 is null or d.sha256 = l.sha256"
            if _table_exists(con, "landing", "deliveries") else "")
    return {f: by for f, by in con.execute(f"""
        select d.delivery_file, arg_max(d.decided_by, d.decided_at)
        from (select * from landing.delivery_decisions where decision = 'accepted') as d {join}
        group by d.delivery_file""").fetchall()}


def _members_behind(con: duckdb.DuckDBPyConnection, mart: str, grain: list[str], figures: list[dict]) -> dict:
    """Per figure key: the deliveries of its winning member cells (int_figure_members), for the figures given."""
    if not figures:
        return {}
    wanted = {tuple(f["figure"][c] for c in grain) for f in figures}
    g = ", ".join(_q(c) for c in grain)
    rows = con.execute(f"""
        select {g}, list(distinct delivery_file order by delivery_file)
        from {MEMBERS_MODEL} where mart = ? and is_winner
        group by all""", [mart]).fetchall()
    return {tuple(r[:-1]): r[-1] for r in rows if tuple(r[:-1]) in wanted}


def _all_winning_deliveries(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("select distinct delivery_file from intermediate.int_delivery_years "
                                      "where is_winner order by 1").fetchall()]


def check(con: duckdb.DuckDBPyConnection, mart: str, grain: list[str], publish_dir: Path, *,
          relation: str | None = None, uses_deliveries: bool = True, limits: dict | None = None) -> FigureCheck:
    """Compare every figure of the mart with its published version, and with the version its figures
    were last signed off in (reference_version) when that is an older one; decide which block."""
    published = published_version(publish_dir, mart)
    result = FigureCheck(mart=mart, grain=list(grain))
    if published is None or not compared_columns(mart, limits):
        return result
    result.version = published["version"]
    reference = reference_version(publish_dir, mart)
    for version in [published] + ([reference] if reference and reference["version"] != published["version"] else []):
        result.rows += _compare(con, mart, grain, version, relation or f"marts.{mart}", uses_deliveries, limits)
    return result


def _compare(con: duckdb.DuckDBPyConnection, mart: str, grain: list[str], published: dict, relation: str,
             uses_deliveries: bool, limits: dict | None) -> list[dict]:
    """The changed figures against one published version, each with the new deliveries behind it and
    whether it blocks."""
    # A column added or dropped since the published version (a code change) has nothing to compare with.
    both = ({name for name, _ in relation_columns(con, relation)}
            & {name for name, _ in relation_columns(con, "read_parquet(?)", [published["parquet"]])})
    columns = {c: t for c, t in compared_columns(mart, limits).items() if c in both}
    if not columns or not set(grain) <= both:
        return []
    rows = rows_as_dicts(con, compare_sql(relation, grain, columns), [published["parquet"]])
    figures = [{"figure": {c: r[c] for c in grain}, "column": r["figure_column"], "compared_with": published["version"],
                **{k: r[k] for k in ("is_count", "published_value", "new_value", "change", "relative_change", "exceeds",
                                     "threshold", "note")}} for r in rows]
    beyond = [f for f in figures if f["exceeds"]]
    if mart in TRACEABLE:  # the marts whose figures int_figure_members lists
        behind = _members_behind(con, mart, grain, beyond)
    elif uses_deliveries and beyond:
        every = _all_winning_deliveries(con)
        behind = {tuple(f["figure"][c] for c in grain): every for f in beyond}
    else:
        behind = {}
    known, accepted = set(published["inputs"]), accepted_deliveries(con) if beyond else {}
    for f in figures:
        deliveries = behind.get(tuple(f["figure"][c] for c in grain), []) if f["exceeds"] else []
        f["new_deliveries"] = [d for d in deliveries if d not in known]
        f["unaccepted"] = [d for d in f["new_deliveries"] if d not in accepted]
        f["accepted_by"] = {d: accepted[d] for d in f["new_deliveries"] if d in accepted}
        f["blocks"] = bool(f["exceeds"] and f["unaccepted"])
        if f["exceeds"] and not f["new_deliveries"]:
            f["note"] = "beyond the thresholds without a new delivery behind it (as-of, withdrawal, reference, code " \
                        "or baseline change): reported, not blocked"
    return figures


def describe(result: FigureCheck, report: Path | str) -> str:
    """One line in the form of the delivery revision check's (pipelines/revisions.describe short): the
    new deliveries to accept, how many figures they move beyond the thresholds, the worst, the report.
    Clauses in order of importance: the run summary cuts a long line from its end (keeping the remedy)."""
    blocking = result.blocking
    if not blocking:
        return ""
    # counts first, biggest relative change first (over both comparisons)
    worst = max(blocking, key=lambda r: (bool(r["is_count"]), abs(r["relative_change"] or 0), abs(r["change"] or 0)))
    change = (pct_text(worst["relative_change"]) if worst["is_count"] else f"{float(worst['change']):+.1f} points")
    n = len(blocking)
    return (f"revision check: {', '.join(result.blocking_deliveries)} (not accepted) "
            f"move{'s' if len(result.blocking_deliveries) == 1 else ''} {n} figure{'s' if n != 1 else ''} beyond "
            f"the thresholds, worst {result.label(worst)} {number_text(worst['published_value'], 'empty')} -> "
            f"{number_text(worst['new_value'], 'empty')} "
            f"({change}); figures in {report}; compared with published version {worst['compared_with']}; "
            "accept or withdraw it")


def write_report(path: Path, result: FigureCheck) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*result.grain, *REPORT_FIELDS])
        writer.writeheader()
        for r in result.rows:
            writer.writerow(escape_row({
                **r["figure"], "column": r["column"], "compared_with": r["compared_with"],
                "published_value": r["published_value"],
                "new_value": r["new_value"], "change": r["change"],
                "relative_change": None if r["relative_change"] is None else round(r["relative_change"], 4),
                "threshold": r["threshold"], "blocks": "yes" if r["blocks"] else "no",
                "new_deliveries": "; ".join(r["new_deliveries"]),
                "accepted_by": "; ".join(f"{d}: {by}" for d, by in r["accepted_by"].items()),
                "note": r["note"]}))
    return path


def accepted_summary(result: FigureCheck, limit: int = 50) -> list[dict]:
    """The figures beyond the thresholds that acceptances released (for the gate result summary)."""
    return [{"figure": result.label(r), "published": r["published_value"], "new": r["new_value"],
             "relative_change": r["relative_change"], "accepted": r["accepted_by"]} for r in result.accepted[:limit]]


def released_by(state_dir: Path, delivery: str) -> list[dict]:
    """The figures the acceptance of `delivery` would release, from the figure revision reports of the
    newest run (its reports folder, newest files): blocking figures whose only unaccepted new deliveries are this one
    (`delivery` as `duo/<dataset>/<file>`, with or without `raw/`, or a unique file name).
    Figures that other unaccepted deliveries also hold back are left out."""
    runs = [p for p in Path(state_dir, "reports").glob("*") if p.is_dir()]
    if not runs:
        return []
    newest = max(runs, key=lambda p: max((f.stat().st_mtime for f in p.iterdir()), default=p.stat().st_mtime))
    name = delivery.removeprefix("raw/")
    out = []
    for path in sorted(newest.glob(report_name("*"))):
        mart = path.stem.removeprefix("figure_revisions_")
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["blocks"] != "yes":
                    continue
                accepted = {a.split(": ", 1)[0] for a in row["accepted_by"].split("; ") if a}
                pending = [d for d in row["new_deliveries"].split("; ") if d and d not in accepted]
                if pending and all(d == name or d.endswith("/" + name) for d in pending):
                    grain = {k: v for k, v in row.items() if k not in REPORT_FIELDS}
                    out.append({"mart": mart, **grain, "column": row["column"],
                                "published_value": row["published_value"], "new_value": row["new_value"],
                                "relative_change": row["relative_change"]})
    return out
