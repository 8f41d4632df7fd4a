"""What changed between two published versions of a mart, figure by figure, with the reason when
it can be known from the two publications' own metadata.

A figure is a row of data.csv, identified by the mart's grain. Reasons, first match wins:
- `new year` / `new figure` / `figure removed`: the row is only in one of the versions;
- `provisional year made final`: the figure was provisional (newest year of its delivery) and now
  comes from a newer delivery in which it is not the newest year;
- `restated by a newer delivery`: the delivery that wins for the figure's year changed;
- `baseline year restated`: the figure's own year kept its delivery, the baseline year's changed;
- `reference or program file changed`: a current-state input (classification, institutions,
  program participation) has other bytes; this is a change of counting rule;
- `code changed`: the code version (git commit) differs;
- otherwise `reason unknown`.
Both versions are read from the publish directory only (catalog, data.csv, metadata.json).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from pipelines.dbt_settings import mart_declarations
from pipelines.publishing import reader, texts_nl

YEAR_COLUMNS = ("year", "audit_year")


@lru_cache(maxsize=1)
def declared_headlines() -> tuple[str, ...]:
    """The headline columns the marts declare (`headline` in models/marts/_marts.yml meta), in order."""
    return tuple(dict.fromkeys(m["headline"] for m in mart_declarations().values() if m.get("headline")))


class DiffError(Exception):
    """The versions cannot be compared; the message says why."""


@dataclass
class FigureChange:
    keys: dict
    kind: str  # changed | added | removed
    reason: str
    values: list[tuple[str, str, str]] = field(default_factory=list)  # (column, old, new)
    headline: tuple[str, str, str] | None = None  # the mart's headline column, old and new (also unchanged)

    def key_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.keys.items())


@dataclass
class MartDiff:
    mart: str
    old_version: str | None
    new_version: str
    grain: list[str]
    changes: list[FigureChange]
    headline: str = ""
    labels: dict[str, str] = field(default_factory=dict)  # column -> Dutch label (metadata `label`)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in ("changed", "added", "removed")}


# --- reading -------------------------------------------------------------------------------------------

def load_version(publish_dir: Path, mart: str, version: str) -> tuple[dict, list[dict]]:
    """(metadata, rows) of a published version (reader.read_version); DiffError when it is not there."""
    if not reader.has_version(publish_dir, mart, version):
        raise DiffError(f"version {version} of {mart} is not in {publish_dir}")
    try:
        return reader.read_version(publish_dir, mart, version)
    except reader.PublicationError as exc:
        raise DiffError(str(exc)) from None


def resolve_versions(publish_dir: Path, mart: str, old: str | None, new: str | None) -> tuple[str | None, str]:
    entry = reader.catalog_entry(Path(publish_dir), mart)
    if entry is None:
        raise DiffError(f"{mart} is not in {Path(publish_dir) / reader.CATALOG}")
    new = new or entry["version"]
    if old is None:
        old = reader.version_before(Path(publish_dir), mart, new, entry.get("history", []))
    return old, new


# --- comparing -----------------------------------------------------------------------------------------

def _same(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return a != "" and b != "" and Decimal(a) == Decimal(b)
    except InvalidOperation:
        return False


def _years(delivery: dict, key: str, sectors: tuple[str, ...] | None) -> list[int]:
    """A delivery's years used / superseded, for the sectors given (vintages are per sector, contract
    11.1; a version recorded before that has no `by_sector`)."""
    if sectors is None or "by_sector" not in delivery:
        return delivery.get(key, [])
    return [y for s in sectors for y in delivery["by_sector"].get(s, {}).get(key, [])]


def winning_deliveries(metadata: dict, dataset: str, year: int, sectors: tuple[str, ...] | None = None,
                       key: str = "years_used") -> list[dict]:
    """The deliveries of the dataset that supplied (`years_used`) or lost (`years_superseded`) the year,
    for these sectors, in this version: one per sector when hbo and wo come in separate files."""
    return [i for i in metadata.get("inputs", [])
            if i.get("kind") == "delivery" and i.get("dataset") == dataset and year in _years(i, key, sectors)]


def winning_delivery(metadata: dict, dataset: str, year: int, sectors: tuple[str, ...] | None = None) -> dict | None:
    """The (first) delivery of the dataset that supplied the year for these sectors in this version."""
    return next(iter(winning_deliveries(metadata, dataset, year, sectors)), None)


def newest_year(delivery: dict, sectors: tuple[str, ...] | None = None) -> int:
    return max([*_years(delivery, "years_used", sectors), *_years(delivery, "years_superseded", sectors)], default=0)


def row_sectors(row: dict) -> tuple[str, ...] | None:
    """The sectors a figure counts (ho = hbo + wo), whose deliveries compete per sector."""
    if "sector" not in row:
        return None
    from pipelines.dbt_settings import sector_parts
    return sector_parts().get(row["sector"], (row["sector"],))


@lru_cache(maxsize=256)
def _datasets_feeding(sector: str, measure: str) -> tuple[str, ...]:
    """datasets_feeding, once per series (the site asks for every figure)."""
    from pipelines.ingest.datasets import datasets_feeding  # lazily: the ingest package imports pandas
    return tuple(datasets_feeding(sector, measure))


def dataset_for_row(row: dict, metadata: dict | None = None) -> str | None:
    """The dataset a figure's year was counted from: of the datasets feeding its series, the one the
    publication records a winning delivery for (two exam files feed vmbo uitstroom)."""
    if "sector" not in row or "measure" not in row:
        return None
    candidates = _datasets_feeding(row["sector"], row["measure"])
    year = next((int(row[c]) for c in YEAR_COLUMNS if row.get(c)), None)
    if metadata is not None and year is not None:
        recorded = [d for d in candidates if winning_delivery(metadata, d, year, row_sectors(row))]
        candidates = recorded or candidates
    return candidates[0] if candidates else None


def _current_inputs(metadata: dict) -> dict[str, str]:
    return {i["path"]: i.get("sha256", "") for i in metadata.get("inputs", []) if i.get("kind") != "delivery"}


def change_reason(old_meta: dict, new_meta: dict, old_row: dict, new_row: dict) -> str:
    """Why a figure present in both versions has other values (see the module docstring)."""
    year_col = next((c for c in YEAR_COLUMNS if c in new_row), None)
    if new_row.get("is_provisional") == "false" and old_row.get("is_provisional") == "true":
        where = f" (delivery of {new_row['source_delivery']})" if new_row.get("source_delivery") else ""
        return f"provisional year made final{where}"
    if old_row.get("source_delivery") and new_row.get("source_delivery") and \
            old_row["source_delivery"] != new_row["source_delivery"]:
        return (f"restated by a newer delivery (delivery of {new_row['source_delivery']} replaces "
                f"{old_row['source_delivery']})")
    dataset = dataset_for_row(new_row, new_meta)
    if dataset and year_col:
        year = int(new_row[year_col])
        sectors = row_sectors(new_row)
        old_w, new_w = (winning_delivery(old_meta, dataset, year, sectors),
                        winning_delivery(new_meta, dataset, year, sectors))
        if old_w and new_w and old_w["path"] != new_w["path"]:
            if newest_year(old_w, sectors) == year and newest_year(new_w, sectors) != year:
                return f"provisional year made final ({new_w['path']}, {new_w.get('date', '')})"
            return f"restated by a newer delivery ({new_w['path']}, {new_w.get('date', '')} replaces {old_w['path']})"
        base = new_row.get("baseline_year")
        if base:
            old_b, new_b = (winning_delivery(old_meta, dataset, int(base), sectors),
                            winning_delivery(new_meta, dataset, int(base), sectors))
            if old_b and new_b and old_b["path"] != new_b["path"]:
                return f"baseline year {base} restated ({new_b['path']}, {new_b.get('date', '')})"
    old_cur, new_cur = _current_inputs(old_meta), _current_inputs(new_meta)
    changed = sorted(p for p in set(old_cur) | set(new_cur) if old_cur.get(p) != new_cur.get(p))
    if changed:
        return f"counting rule: reference or program file changed ({', '.join(changed)})"
    old_code = (old_meta.get("code_version") or {}).get("git_commit")
    new_code = (new_meta.get("code_version") or {}).get("git_commit")
    if old_code != new_code:
        return f"code changed ({(old_code or '?')[:12]} -> {(new_code or '?')[:12]})"
    return "reason unknown"


def headline_column(columns: list[str], indicators: list[str]) -> str:
    return next((c for c in declared_headlines() if c in columns), indicators[0] if indicators else columns[-1])


def diff_rows(mart: str, old_version: str | None, old_meta: dict | None, old_rows: list[dict],
              new_version: str, new_meta: dict, new_rows: list[dict]) -> MartDiff:
    grain = new_meta["grain"]
    columns = list(new_rows[0].keys()) if new_rows else [c["name"] for c in new_meta.get("columns", [])]
    indicators = [c for c in new_meta.get("indicators", []) if c not in grain] or \
        [c for c in columns if c not in grain]
    headline = headline_column(columns, indicators)
    year_col = next((c for c in YEAR_COLUMNS if c in grain), None)
    series_of = [g for g in grain if g != year_col]

    def key(row: dict) -> tuple:
        return tuple(row.get(g, "") for g in grain)

    old_by = {key(r): r for r in old_rows}
    new_by = {key(r): r for r in new_rows}
    old_series = {tuple(r.get(g, "") for g in series_of) for r in old_rows}
    changes: list[FigureChange] = []
    labels = {c["name"]: c["label"] for c in new_meta.get("columns", []) if c.get("label")}
    if old_meta is None:
        return MartDiff(mart, old_version, new_version, grain, changes, headline, labels)
    for k, row in new_by.items():
        keys = dict(zip(grain, k))
        old = old_by.get(k)
        if old is None:
            is_new_year = year_col and tuple(row.get(g, "") for g in series_of) in old_series
            changes.append(FigureChange(keys, "added", "new year" if is_new_year else "new figure",
                                        [(headline, "", row.get(headline, ""))], (headline, "", row.get(headline, ""))))
            continue
        values = [(c, old.get(c, ""), row.get(c, "")) for c in indicators
                  if c in row and not _same(old.get(c, ""), row.get(c, ""))]
        if values:
            changes.append(FigureChange(keys, "changed", change_reason(old_meta, new_meta, old, row), values,
                                        (headline, old.get(headline, ""), row.get(headline, ""))))
    for k, row in old_by.items():
        if k not in new_by:
            changes.append(FigureChange(dict(zip(grain, k)), "removed", "figure removed",
                                        [(headline, row.get(headline, ""), "")], (headline, row.get(headline, ""), "")))
    changes.sort(key=lambda c: ({"changed": 0, "added": 1, "removed": 2}[c.kind], _sort_key(c.keys, grain)))
    return MartDiff(mart, old_version, new_version, grain, changes, headline, labels)


def _sort_key(keys: dict, grain: list[str]) -> tuple:
    out = []
    for g in grain:
        v = keys.get(g, "")
        out.append((0, int(v), "") if v.lstrip("-").isdigit() else (1, 0, v))
    return tuple(out)


def diff_versions(publish_dir: Path, mart: str, old_version: str | None = None,
                  new_version: str | None = None) -> MartDiff:
    old_version, new_version = resolve_versions(publish_dir, mart, old_version, new_version)
    new_meta, new_rows = load_version(publish_dir, mart, new_version)
    if old_version is None:
        return diff_rows(mart, None, None, [], new_version, new_meta, new_rows)
    old_meta, old_rows = load_version(publish_dir, mart, old_version)
    return diff_rows(mart, old_version, old_meta, old_rows, new_version, new_meta, new_rows)


# --- one row per figure: the view of the site and of `betamonitor diff` -------------------------------------

@dataclass
class FigureRow:
    """One changed figure: its headline value old -> new, the reason in Dutch, the other columns' changes."""
    keys: dict
    kind: str                                  # changed | added | removed
    figure: str                                # the figure in words: "hbo, instroom, 2003"
    column: str                                # the mart's headline column
    old: str
    new: str
    reason: str                                # Dutch
    others: list[tuple[str, str, str]]         # (column, old, new) of the other changed columns

    @property
    def kind_nl(self) -> str:
        return texts_nl.KIND[self.kind]

    @property
    def delta(self) -> Decimal | None:
        try:
            return Decimal(self.new) - Decimal(self.old)
        except (InvalidOperation, ValueError):
            return None


def figure_text(keys: dict) -> str:
    return ", ".join(texts_nl.code_label(str(v)) for v in keys.values())


def figure_rows(d: MartDiff) -> list[FigureRow]:
    """One row per changed, new or removed figure, in the order of the diff."""
    out = []
    for c in d.changes:
        column, old, new = c.headline or (c.values[0] if c.values else (d.headline, "", ""))
        out.append(FigureRow(c.keys, c.kind, figure_text(c.keys), column, old, new, texts_nl.reason(c.reason),
                             [v for v in c.values if v[0] != column]))
    return out


def largest_revision(rows: list[FigureRow]) -> FigureRow | None:
    """The revised figure whose headline value moved most (the first of equals)."""
    best, size = None, Decimal(0)
    for r in rows:
        if r.kind == "changed" and r.delta is not None and abs(r.delta) > size:
            best, size = r, abs(r.delta)
    return best


def summary_sentence(d: MartDiff, rows: list[FigureRow] | None = None) -> str:
    """'42 cijfers herzien, 33 nieuw, 0 vervallen; grootste herziening: hbo, instroom, 2003 (Groei %)
    van 30,0 naar 30,8.'"""
    if d.old_version is None:
        return "Dit is de eerste gepubliceerde versie: er is niets om mee te vergelijken."
    rows = figure_rows(d) if rows is None else rows
    n = d.counts()
    if not rows:
        return "Geen enkel cijfer is herzien, nieuw of vervallen."
    text = (f"{n['changed']} {'cijfer' if n['changed'] == 1 else 'cijfers'} herzien, {n['added']} nieuw, "
            f"{n['removed']} vervallen")
    big = largest_revision(rows)
    if big is not None:
        label = d.labels.get(big.column, big.column)
        text += (f"; grootste herziening: {big.figure} ({label}) van {texts_nl.nl_number(big.old)} "
                 f"naar {texts_nl.nl_number(big.new)}")
    return text + "."


# --- output --------------------------------------------------------------------------------------------

def _value(text: str) -> str:
    if text in ("true", "false"):
        return "ja" if text == "true" else "nee"
    return texts_nl.nl_number(text) if text != "" else "leeg"


def render_text(d: MartDiff) -> str:
    """The per-figure view: a summary sentence, then one line per figure (headline old → new, the reason,
    the other columns' changes)."""
    if d.old_version is None:
        return f"{d.mart} {d.new_version}: {summary_sentence(d)}\n"
    rows = figure_rows(d)
    lines = [f"{d.mart}: {d.old_version} -> {d.new_version}", summary_sentence(d, rows)]
    for r in rows:
        line = (f"  {r.kind_nl:<9} {r.figure}: {d.labels.get(r.column, r.column)} {_value(r.old)} → "
                f"{_value(r.new)}  [{r.reason}]")
        if r.others:
            line += "; ook " + "; ".join(f"{d.labels.get(c, c)} {_value(o)} → {_value(n)}" for c, o, n in r.others)
        lines.append(line)
    return "\n".join(lines) + "\n"


CSV_TAIL = ["change", "column", "old_value", "new_value", "reason", "other_changes", "old_version", "new_version"]


def render_csv(d: MartDiff) -> str:
    """One row per figure; the values as in data.csv (decimal point), the reason in Dutch, the other
    changed columns as `column: old -> new; ...`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*d.grain, *CSV_TAIL])
    for r in figure_rows(d):
        others = "; ".join(f"{c}: {o} -> {n}" for c, o, n in r.others)
        writer.writerow([*(r.keys.get(g, "") for g in d.grain), r.kind, r.column, r.old, r.new, r.reason, others,
                         d.old_version or "", d.new_version])
    return out.getvalue()


def run_diff(args) -> int:
    """`betamonitor diff`: exit 0 (also when nothing changed), 1 when the versions cannot be read."""
    try:
        d = diff_versions(Path(args.publish_dir), args.mart, getattr(args, "from_version", None),
                          getattr(args, "to_version", None))
    except DiffError as exc:
        print(f"betamonitor diff: {exc}")
        return 1
    print(render_csv(d) if args.format == "csv" else render_text(d), end="")
    return 0
