"""metadata.json of a published mart: what the data is (columns from the dbt docs) and what made
it (inputs with sha256, code version, run id, as-of date, gate result)."""

from __future__ import annotations

import json
import subprocess
from functools import lru_cache
from importlib.metadata import version as package_version

import duckdb

from pipelines.paths import REPO_ROOT

PUBLISHER = "betamonitor (Platform Bèta Techniek growth monitor)"


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


def model_columns(manifest_path, model: str, con: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[dict], dict]:
    """Column name, SQL type, unit, role and description; descriptions/units come from the dbt yml."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    node = manifest["nodes"][f"model.betamonitor.{model}"]
    types = con.execute(f"select column_name, column_type from (describe {relation})").fetchall()
    columns = []
    for name, sql_type in types:
        doc = node["columns"].get(name, {})
        meta = {**doc.get("meta", {}), **doc.get("config", {}).get("meta", {})}
        columns.append({"name": name, "type": sql_type, "unit": meta.get("unit"), "role": meta.get("role"),
                        "description": doc.get("description", "")})
    return columns, {"description": " ".join(node.get("description", "").split()),
                     "dbt_model": node["original_file_path"]}


def run_inputs(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Every delivery known as of the run, with the years it won and the years it lost (restated),
    and the current-state files (reference, programs) with their sha256."""
    rows = con.execute("""
        select d.dataset, d.delivery_file, strftime(d.delivery_date, '%Y-%m-%d'), l.sha256, l.layout,
               list(d.year order by d.year) filter (where d.is_winner),
               list(d.year order by d.year) filter (where not d.is_winner)
        from intermediate.int_delivery_years d
        join landing.deliveries l using (delivery_file)
        group by all order by d.dataset, d.delivery_file
    """).fetchall()
    inputs = [{"kind": "delivery", "dataset": r[0], "path": r[1], "date": r[2], "sha256": r[3], "layout": r[4],
               "years_used": r[5] or [], "years_superseded": r[6] or []} for r in rows]
    current = con.execute("""
        select 'reference' as kind, source_file, sha256 from landing.croho_classification
        union select 'reference', source_file, sha256 from landing.institutions
        union select 'programs', source_file, sha256 from landing.program_participation
        order by 1, 2
    """).fetchall()
    inputs.extend({"kind": kind, "path": path, "sha256": digest} for kind, path, digest in current)
    return inputs
