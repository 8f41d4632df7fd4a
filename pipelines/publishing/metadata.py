"""metadata.json of a published mart: what the data is (columns from the dbt docs) and what made
it (inputs with sha256, code version, as-of date, gate result). Nothing here depends on the run: the
run that published a version is recorded in catalog.json (publisher.py)."""

from __future__ import annotations

import subprocess
from functools import lru_cache
from importlib.metadata import version as package_version
from pathlib import Path

import duckdb

from pipelines.dbt_settings import read_manifest
from pipelines.paths import REPO_ROOT
from pipelines.publishing import texts_nl
from pipelines.warehouse import relation_columns


@lru_cache(maxsize=1)
def code_version() -> dict:
    """The git commit the code ran from (and whether the tree had local changes)."""
    info = {"package": f"betamonitor {package_version('betamonitor')}"}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO_ROOT,
                               capture_output=True, text=True, check=True).stdout.strip()
        info.update(git_commit=commit, git_dirty=bool(dirty))
    except (OSError, subprocess.CalledProcessError):
        info.update(git_commit=None, git_dirty=None)
    return info


def _meta(doc: dict) -> dict:
    """A manifest node's meta (dbt puts it under `meta` and under `config.meta`)."""
    return {**doc.get("meta", {}), **doc.get("config", {}).get("meta", {})}


def _text(value) -> str:
    return " ".join(str(value or "").split())


def model_columns(manifest: dict | Path, model: str, con: duckdb.DuckDBPyConnection,
                  relation: str) -> tuple[list[dict], dict]:
    """Column name, SQL type, unit, role, description and the Dutch label and description; all but the
    type come from the dbt yml (models/marts/_marts.yml, column meta). What a reader sees is Dutch: the
    unit in words (texts_nl.unit) and `description` = `description_nl` (the dbt docs' English description
    stays in the dbt docs). The model: its (English, dbt docs) description, its Dutch title and
    description (model meta `title_nl`, `description_nl`) and its dbt file.
    `manifest`: the parsed manifest (dbt_settings.load_manifest), or the path of one."""
    if not isinstance(manifest, dict):
        manifest = read_manifest(Path(manifest))
    node = manifest["nodes"][f"model.betamonitor.{model}"]
    columns = []
    for name, sql_type in relation_columns(con, relation):
        doc = node["columns"].get(name, {})
        meta = _meta(doc)
        description_nl = _text(meta.get("description_nl")) or None
        columns.append({"name": name, "type": sql_type, "unit": texts_nl.unit(meta.get("unit")) or None,
                        "role": meta.get("role"), "description": description_nl or _text(doc.get("description")),
                        "label": _text(meta.get("label")) or None, "description_nl": description_nl})
    model_meta = _meta(node)
    return columns, {"description": _text(node.get("description", "")),
                     "title_nl": _text(model_meta.get("title_nl")) or None,
                     "description_nl": _text(model_meta.get("description_nl")) or None,
                     "dbt_model": node["original_file_path"]}


def run_inputs(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every delivery known as of the run, with the years it won and the years it lost (restated), in
    all and per sector (vintages are per sector, contract 11.1), and the current-state files
    (reference, programs) with their sha256."""
    rows = con.execute("""
        select d.dataset, d.delivery_file, strftime(d.delivery_date, '%Y-%m-%d'), l.sha256, l.layout, d.sector,
               list(d.year order by d.year) filter (where d.is_winner),
               list(d.year order by d.year) filter (where not d.is_winner)
        from intermediate.int_delivery_years d
        join landing.deliveries l using (delivery_file)
        group by all order by d.dataset, d.delivery_file, d.sector
    """).fetchall()
    inputs: dict[str, dict] = {}
    for dataset, path, day, digest, layout, sector, used, superseded in rows:
        entry = inputs.setdefault(path, {"kind": "delivery", "dataset": dataset, "path": path, "date": day,
                                         "sha256": digest, "layout": layout, "years_used": [],
                                         "years_superseded": [], "by_sector": {}})
        entry["by_sector"][sector] = {"years_used": used or [], "years_superseded": superseded or []}
    for entry in inputs.values():
        used = {y for s in entry["by_sector"].values() for y in s["years_used"]}
        entry["years_used"] = sorted(used)
        entry["years_superseded"] = sorted({y for s in entry["by_sector"].values() for y in s["years_superseded"]} - used)
    inputs = list(inputs.values())
    current = con.execute("""
        select 'reference' as kind, source_file, sha256 from landing.croho_classification
        union select 'reference', source_file, sha256 from landing.institutions
        union select 'reference', source_file, sha256 from landing.gemeenten  -- empty without the file
        union select 'programs', source_file, sha256 from landing.program_participation
        order by 1, 2
    """).fetchall()
    inputs.extend({"kind": kind, "path": path, "sha256": digest} for kind, path, digest in current)
    return inputs


def cells_not_counted_by_type(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """HO cells of the deliveries in use that were left out for their programme/diploma type
    (raw-data contract 10.3; seed ho_programme_types), per dataset and type, with the reason."""
    rows = con.execute("""
        select dataset, programme_type, any_value(reason), sum(n_cells), sum(n_betatechniek_cells),
               min(year), max(year)
        from intermediate.int_ho_excluded_by_type
        group by dataset, programme_type order by dataset, programme_type
    """).fetchall()
    return [{"dataset": d, "programme_type": t, "reason": r, "n_cells": int(n), "n_betatechniek_cells": int(nb),
             "years": [int(y0), int(y1)]} for d, t, r, n, nb, y0, y1 in rows]


def series_without_baseline(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Series published with empty index and growth because their baseline year has no data (10.6)."""
    rows = con.execute("select sector, measure, baseline_year, reason from intermediate.int_series_without_baseline "
                       "order by sector, measure").fetchall()
    return [{"sector": s, "measure": m, "baseline_year": int(b), "reason": r} for s, m, b, r in rows]


def gender_unknown(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Persons of unknown gender per figure: in the totals, left out of shares of women (contract 11.3)."""
    rows = con.execute("select sector, measure, year, n_unknown, n_rows_masked from intermediate.int_gender_unknown "
                       "order by sector, measure, year").fetchall()
    return [{"sector": s, "measure": m, "year": int(y), "n_unknown": float(n), "n_rows_masked": int(k)}
            for s, m, y, n, k in rows]


def series_break_footnotes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The vmbo TL series break (contract 11.2), for the winning exam deliveries, in Dutch: years without a
    figure, and years whose VMBO T candidates without a sector were left out."""
    rows = con.execute("""
        select t.year, t.is_available, t.without_sector
        from intermediate.int_vmbo_tl_coverage t
        join intermediate.int_delivery_years d
          on d.delivery_file = t.delivery_file and d.year = t.year and d.sector = 'vmbo' and d.is_winner
        where not t.is_available or coalesce(t.without_sector, 0) > 0
        order by t.year""").fetchall()
    missing = [int(y) for y, available, _ in rows if not available]
    notes = [texts_nl.series_break_missing(missing)] if missing else []
    return notes + [texts_nl.series_break_left_out(int(y), float(n)) for y, available, n in rows if available]


def without_baseline_footnotes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One Dutch footnote per series without data in its baseline year (index and growth empty, 10.6)."""
    rows = con.execute("select sector, measure, baseline_year, first_year, last_year "
                       "from intermediate.int_series_without_baseline order by sector, measure").fetchall()
    return [texts_nl.without_baseline(s, m, int(b), int(y0), int(y1)) for s, m, b, y0, y1 in rows]


def unclassified_footnotes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """One Dutch footnote per HO programme code missing from the CROHO classification (counted or not
    by its onderdeel)."""
    rows = con.execute("select opleidingscode, opleidingsnaam, onderdeel, counted_as_betatechniek "
                       "from intermediate.int_ho_unclassified_programmes order by 1").fetchall()
    return [texts_nl.unclassified_programme(code, name, onderdeel, bool(counted))
            for code, name, onderdeel, counted in rows]

