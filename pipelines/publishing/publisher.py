"""Write one mart version (data.csv, data.parquet, metadata.json, validation.json) and point the
catalog at it.

- A version folder is a pure function of the mart rows, the metadata and the as-of date: same
  inputs, code and as-of date give byte-identical files. The version name is the as-of date plus a
  hash of data.csv; a run whose data equals an existing version's (even with another as-of date)
  re-points the catalog at that version instead of writing a new one.
- `metadata.json` names the run that wrote the version (the contract asks for the run id). Run ids
  are reproducible (orchestration/nightly.reproducible_run_id: derived from inputs, code and options),
  so this keeps the files byte-identical. The catalog records which run published each version and
  which run made the current version current; `validation.json` is the GX result without its
  wall-clock times and random ids (validation.py).
- A version is written to a hidden temporary folder and renamed into place; the catalog is
  written to a temporary file and os.replace'd. Readers never see a half-written version, and the
  catalog never points at a missing file.
- A run killed while publishing leaves at most a hidden `.tmp-*` folder (removed by the next
  publish of that mart; runs hold the warehouse lock, so no other run is writing it) or a complete
  version the catalog does not point at yet (the next run maps its identical data onto it).
- A failed write (full disk, read-only directory) raises PublishError naming the directory and the
  reason; the temporary folder is removed and the catalog keeps pointing at the last version.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.publishing.csv_safety import METADATA_NOTE, escaped_select
from pipelines.publishing.validation import stable_validation
from pipelines.runs.pause import pause_point

CATALOG = "catalog.json"


class PublishError(RuntimeError):
    """A version or the catalog could not be written; nothing half-written is visible."""


@dataclass(frozen=True)
class Publication:
    mart: str
    version: str
    directory: Path
    newly_written: bool
    made_current: bool  # this run pointed the catalog at the version (False: it was current already)


def _write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def _sql_path(path: Path) -> str:
    """A file path as a SQL string literal (COPY TO takes no bind parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_catalog(publish_dir: Path) -> dict:
    path = publish_dir / CATALOG
    if not path.exists():
        return {"catalog_format": 1, "marts": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def publish_mart(
    con: duckdb.DuckDBPyConnection,
    *,
    mart: str,
    relation: str,
    order_by: list[str],
    publish_dir: Path,
    as_of: str,
    metadata: dict,
    validation: dict,
    run_id: str,
) -> Publication:
    """`metadata` and `validation` must not depend on the run beyond its (reproducible) `run_id`."""
    try:
        return _publish(con, mart=mart, relation=relation, order_by=order_by, publish_dir=publish_dir,
                        as_of=as_of, metadata=metadata, validation=validation, run_id=run_id)
    except OSError as exc:
        where = exc.filename or publish_dir
        raise PublishError(f"cannot publish {mart} to {publish_dir}: {exc.strerror or exc} ({where}); "
                           "nothing was published, the catalog still points at the previous version") from None


def _remove_stale_temporaries(mart_dir: Path) -> None:
    """Leftovers of a killed run (the warehouse lock guarantees no other run is writing here)."""
    for stale in mart_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _publish(con, *, mart, relation, order_by, publish_dir: Path, as_of, metadata, validation,
             run_id: str) -> Publication:
    publish_dir.mkdir(parents=True, exist_ok=True)
    mart_dir = publish_dir / mart
    mart_dir.mkdir(exist_ok=True)
    _remove_stale_temporaries(mart_dir)
    staging = mart_dir / f".tmp-{run_id}"
    staging.mkdir()
    try:
        query = f"select * from {relation} order by {', '.join(order_by)}"
        # Text cells that a spreadsheet would run as a formula get a ' prefix (csv_safety); Parquet keeps them.
        csv_query = escaped_select(con, relation, order_by)
        con.execute(f"copy ({csv_query}) to {_sql_path(staging / 'data.csv')} (header, delimiter ',')")
        digest = hashlib.sha256((staging / "data.csv").read_bytes()).hexdigest()
        # Identical data is the same publication, whatever the as-of date of this run.
        existing = sorted(p for p in mart_dir.glob(f"*_{digest[:12]}") if p.is_dir())
        version = existing[0].name if existing else f"{as_of}_{digest[:12]}"
        target = mart_dir / version
        newly_written = not target.exists()
        if newly_written:
            con.execute(f"copy ({query}) to {_sql_path(staging / 'data.parquet')} (format parquet, compression zstd)")
            files = {name: hashlib.sha256((staging / name).read_bytes()).hexdigest()
                     for name in ("data.csv", "data.parquet")}
            _write_json(staging / "validation.json", stable_validation(validation, as_of))
            _write_json(staging / "metadata.json", {
                **metadata, "run": {"run_id": run_id}, "mart": mart, "version": version, "files": files,
                "csv_escaping": METADATA_NOTE,
                "row_count": con.execute(f"select count(*) from {relation}").fetchall()[0][0]})
            for f in staging.iterdir():
                with open(f, "rb") as fh:
                    os.fsync(fh.fileno())
            pause_point("publish_staged")  # test hook (pipelines/runs/pause.py)
            os.rename(staging, target)  # atomic on one file system
            _fsync_dir(mart_dir)
            pause_point("publish_renamed")  # test hook: version in place, catalog not yet pointed at it
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    published = json.loads((target / "metadata.json").read_text(encoding="utf-8"))
    made_current = _point_catalog(publish_dir, mart, version, published, run_id)
    return Publication(mart=mart, version=version, directory=target, newly_written=newly_written,
                       made_current=made_current)


def _run_stamp(run_id: str) -> dict:
    # No wall-clock time: the run report has it, and the catalog stays reproducible.
    return {"run_id": run_id}


def _written_by(publish_dir: Path, mart: str, version: str) -> dict | None:
    """The run that wrote a version, as its metadata.json names it (for a catalog entry without it)."""
    try:
        run = json.loads((publish_dir / mart / version / "metadata.json").read_text(encoding="utf-8")).get("run")
    except (OSError, ValueError):
        return None
    run_id = run.get("run_id") if isinstance(run, dict) else None
    return {"run_id": run_id} if run_id else None


def _point_catalog(publish_dir: Path, mart: str, version: str, metadata: dict, run_id: str) -> bool:
    """Point the mart's entry at `version`. The entry records runs (the catalog is the one mutable file):
    `published_by[v]`: the run that wrote version v (its metadata.json's run id; the run pointing the
    catalog when that is missing); `current_since`: the run that made the current version current. A run that finds its version already current changes nothing.
    Returns whether this run made the version current."""
    catalog = read_catalog(publish_dir)
    entry = catalog["marts"].get(mart, {})
    history = [v for v in entry.get("history", []) if v != version] + [version]
    published_by = {v: by for v in history
                    if (by := entry.get("published_by", {}).get(v) or _written_by(publish_dir, mart, v))}
    if version not in published_by:
        published_by[version] = _run_stamp(run_id)
    already_current = entry.get("version") == version
    # (a catalog written before current_since existed: the run that published the current version)
    current_since = (entry.get("current_since") or published_by[version]) if already_current else _run_stamp(run_id)
    catalog["marts"][mart] = {
        "version": version,
        "csv": f"{mart}/{version}/data.csv",
        "parquet": f"{mart}/{version}/data.parquet",
        "metadata": f"{mart}/{version}/metadata.json",
        "validation": f"{mart}/{version}/validation.json",
        "as_of": metadata["as_of"],
        "description": metadata.get("description", ""),
        "history": history,
        "published_by": published_by,
        "current_since": current_since,
    }
    tmp = publish_dir / f".{CATALOG}.tmp"
    try:
        _write_json(tmp, catalog)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, publish_dir / CATALOG)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(publish_dir)
    return not already_current
