"""Write mart versions (data.csv, data.parquet, metadata.json, validation.json, datapackage.json),
then point the catalog at all of a run's versions at once.

- A version folder is a pure function of the mart rows, the metadata and the as-of date: same
  inputs, code and as-of date give byte-identical files. The version name is the as-of date plus a
  hash of data.csv; a run whose data equals an existing version's (even with another as-of date)
  re-points the catalog at that version instead of writing a new one.
- `metadata.json` names the run that wrote the version (the contract asks for the run id). Run ids
  are reproducible (orchestration/nightly.reproducible_run_id: derived from inputs, code and options),
  so this keeps the files byte-identical. The catalog records which run published each version and
  which run made the current version current; `validation.json` is the GX result without its
  wall-clock times and random ids (validation.py).
- Publishing is one transaction per run: each publish step writes its version (`write_version`) to a
  hidden temporary folder and renames it into place; at the end of the run `commit_catalog` checks
  every file of every version against the sha256 in its `metadata.json` and moves the catalog once,
  for all marts that passed (written to a temporary file and os.replace'd). Readers never see a
  half-written version, and the catalog never points at a missing or altered file.
- A version folder whose files no longer match their recorded hashes (edited by hand, truncated,
  deleted) is never pointed at again: a run whose data maps onto it moves it aside (`.damaged-*`)
  and writes it anew; `publication_problems` lists every damaged version for the run report.
- A run killed while publishing leaves at most a hidden `.tmp-*` folder (removed by the next
  publish of that mart; runs hold the warehouse lock, so no other run is writing it) or complete
  versions the catalog does not point at yet (the next run maps its identical data onto them).
- A failed write (full disk, read-only directory, a DuckDB error) raises PublishError naming the
  directory and the reason in one line; the temporary folder is removed and the catalog keeps
  pointing at the last versions.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from pipelines.publishing.csv_safety import escaped_select
from pipelines.publishing.datapackage import DATAPACKAGE, package_bytes, version_package
from pipelines.publishing.reader import CATALOG, PublicationError, read_catalog, read_metadata, version_dir
from pipelines.publishing.texts_nl import CSV_ESCAPING
from pipelines.publishing.validation import stable_validation
from pipelines.runs.pause import pause_point
from pipelines.warehouse import relation_columns, sql_literal

# CATALOG and read_catalog come from reader.py (the one reader of a publish directory) and stay
# importable from here.


class PublishError(RuntimeError):
    """A version or the catalog could not be written; nothing half-written is visible."""


@dataclass(frozen=True)
class Publication:
    mart: str
    version: str
    directory: Path
    newly_written: bool
    made_current: bool = False  # this run pointed the catalog at the version (False: it was current already)
    repaired: str = ""  # what was wrong with an existing folder of this version (moved aside, written anew)


def _write_json(path: Path, payload: dict) -> None:
    path.write_text(json.dumps(payload, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n",
                    encoding="utf-8")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_mart(con: duckdb.DuckDBPyConnection, **version) -> Publication:
    """One mart's version written and made current (a run publishes all its marts at once with
    `write_version` per mart and one `commit_catalog`)."""
    written = write_version(con, **version)
    made_current = commit_catalog(version["publish_dir"], {written.mart: written.version}, version["run_id"])
    return replace(written, made_current=made_current[written.mart])


def write_version(
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
    """Write the mart's version (or find it written already); the catalog does not point at it yet.
    `metadata` and `validation` must not depend on the run beyond its (reproducible) `run_id`."""
    try:
        return _write(con, mart=mart, relation=relation, order_by=order_by, publish_dir=publish_dir,
                      as_of=as_of, metadata=metadata, validation=validation, run_id=run_id)
    except OSError as exc:
        where = exc.filename or publish_dir
        raise PublishError(f"cannot publish {mart} to {publish_dir}: {exc.strerror or exc} ({where}); "
                           "nothing was published, the catalog still points at the previous version") from None
    except duckdb.Error as exc:
        raise PublishError(f"cannot publish {mart} to {publish_dir}: {str(exc).splitlines()[0]}; "
                           "nothing was published, the catalog still points at the previous version") from None


def _remove_stale_temporaries(mart_dir: Path) -> None:
    """Leftovers of a killed run (the warehouse lock guarantees no other run is writing here)."""
    for stale in mart_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def version_problems(publish_dir: Path, mart: str, version: str) -> list[str]:
    """What is wrong with a version folder: missing, unreadable metadata.json, or a file that is
    missing or no longer matches the sha256 its metadata.json records. Empty: the version is sound."""
    folder = version_dir(publish_dir, mart, version)
    if not folder.is_dir():
        return [f"{mart}/{version}: the version folder is missing"]
    try:
        files = read_metadata(publish_dir, mart, version)["files"]
    except PublicationError as exc:
        return [f"{mart}/{version}/metadata.json: unreadable ({exc.cause})"]
    except KeyError as exc:
        return [f"{mart}/{version}/metadata.json: unreadable ({exc.__class__.__name__})"]
    problems = []
    for name in ("data.csv", "data.parquet", "validation.json"):
        if name not in files and not (folder / name).is_file():
            problems.append(f"{mart}/{version}/{name}: missing")
    for name, recorded in sorted(files.items()):
        try:
            actual = _sha256(folder / name)
        except OSError:
            problems.append(f"{mart}/{version}/{name}: missing")
            continue
        if actual != recorded:
            problems.append(f"{mart}/{version}/{name}: does not match the sha256 in its metadata.json "
                            f"(recorded {recorded[:12]}, found {actual[:12]})")
    return problems


def publication_problems(publish_dir: Path) -> list[dict]:
    """Every damaged version the catalog knows (current or in its history): mart, version, current, problem."""
    try:
        marts = read_catalog(publish_dir).get("marts") or {}
    except (OSError, ValueError) as exc:
        return [{"mart": "", "version": "", "current": True, "problem": f"{CATALOG}: unreadable ({exc})"}]
    out = []
    for mart, entry in sorted(marts.items()):
        for version in entry.get("history") or [entry["version"]]:
            out += [{"mart": mart, "version": version, "current": version == entry["version"], "problem": problem}
                    for problem in version_problems(publish_dir, mart, version)]
    return out


# sha256 of published files already read by this process, by what stat says of them: one CLI run checks
# every version the catalog knows up to three times (the no-change fingerprint, the run's close, the stored
# fingerprint after it). Any change to a file (content, truncation, rename over it, even an edit with its
# old mtime restored) changes its inode, size, mtime or ctime, and so misses here.
_HASHED: dict[tuple, str] = {}


def _sha256(path: Path) -> str:
    with path.open("rb") as fh:
        st = os.fstat(fh.fileno())
        key = (os.path.abspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if key in _HASHED:
            return _HASHED[key]
        digest = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if len(_HASHED) >= 100_000:  # a long-lived process (the Dagster daemon, a test session)
        _HASHED.clear()
    _HASHED[key] = digest.hexdigest()
    return _HASHED[key]


def _set_aside(folder: Path, run_id: str) -> Path:
    """A damaged version folder moved out of the way (kept for whoever investigates it)."""
    aside = folder.with_name(f".damaged-{folder.name}-{run_id[:8]}")
    n = 1
    while aside.exists():
        n += 1
        aside = folder.with_name(f".damaged-{folder.name}-{run_id[:8]}-{n}")
    os.rename(folder, aside)
    return aside


def _write(con, *, mart, relation, order_by, publish_dir: Path, as_of, metadata, validation,
           run_id: str) -> Publication:
    publish_dir.mkdir(parents=True, exist_ok=True)
    mart_dir = publish_dir / mart
    mart_dir.mkdir(exist_ok=True)
    _remove_stale_temporaries(mart_dir)
    staging = mart_dir / f".tmp-{run_id}"
    staging.mkdir()
    repaired = ""
    try:
        query = f"select * from {relation} order by {', '.join(order_by)}"
        # Text cells that a spreadsheet would run as a formula get a ' prefix (csv_safety); Parquet keeps them.
        csv_query = escaped_select(con, relation, order_by)
        con.execute(f"copy ({csv_query}) to {sql_literal(staging / 'data.csv')} (header, delimiter ',')")
        digest = _sha256(staging / "data.csv")
        # Identical data is the same publication, whatever the as-of date of this run.
        existing = sorted(p for p in mart_dir.glob(f"[!.]*_{digest[:12]}") if p.is_dir())
        version = existing[0].name if existing else f"{as_of}_{digest[:12]}"
        target = mart_dir / version
        if target.exists() and (problems := version_problems(publish_dir, mart, version)):
            repaired = "; ".join(problems)
            _set_aside(target, run_id)
        newly_written = not target.exists()
        if newly_written:
            con.execute(f"copy ({query}) to {sql_literal(staging / 'data.parquet')} (format parquet, compression zstd)")
            _write_json(staging / "validation.json", stable_validation(validation, as_of))
            files = {name: _sha256(staging / name) for name in ("data.csv", "data.parquet", "validation.json")}
            described = {**metadata, "run": {"run_id": run_id}, "mart": mart, "version": version,
                         "csv_escaping": CSV_ESCAPING,
                         "row_count": con.execute(f"select count(*) from {relation}").fetchall()[0][0]}
            # The data package first: metadata.json lists it (and its sha256) with the other files.
            # (metadata without the dbt docs' columns: the relation's names and types)
            columns = described.get("columns") or [{"name": n, "type": t} for n, t in relation_columns(con, relation)]
            package = version_package({**described, "grain": described.get("grain") or order_by, "columns": columns},
                                      csv_sha256=files["data.csv"], csv_bytes=(staging / "data.csv").stat().st_size)
            (staging / DATAPACKAGE).write_bytes(package_bytes(package))
            files[DATAPACKAGE] = _sha256(staging / DATAPACKAGE)
            _write_json(staging / "metadata.json", {**described, "files": files})
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
    return Publication(mart=mart, version=version, directory=target, newly_written=newly_written,
                       repaired=repaired)


def _run_stamp(run_id: str) -> dict:
    # No wall-clock time: the run report has it, and the catalog stays reproducible.
    return {"run_id": run_id}


def _written_by(publish_dir: Path, mart: str, version: str) -> dict | None:
    """The run that wrote a version, as its metadata.json names it (for a catalog entry without it)."""
    try:
        run = read_metadata(publish_dir, mart, version).get("run")
    except PublicationError:
        return None
    run_id = run.get("run_id") if isinstance(run, dict) else None
    return {"run_id": run_id} if run_id else None


def commit_catalog(publish_dir: Path, versions: dict[str, str], run_id: str) -> dict[str, bool]:
    """Point the catalog at every mart's new version in one write, after checking each version's files
    against its metadata.json. Returns, per mart, whether this run made the version current. Raises
    PublishError (the catalog unchanged) when a version is damaged or the catalog cannot be written."""
    damaged = [problem for mart, version in sorted(versions.items())
               for problem in version_problems(publish_dir, mart, version)]
    if damaged:
        raise PublishError(f"the catalog was not moved: {'; '.join(damaged)}")
    catalog = read_catalog(publish_dir)
    before = json.dumps(catalog, sort_keys=True)
    made_current = {mart: _point_entry(catalog, publish_dir, mart, version, run_id)
                    for mart, version in sorted(versions.items())}
    if json.dumps(catalog, sort_keys=True) == before:
        return made_current  # nothing moves: the catalog file stays byte for byte
    pause_point("catalog_staged")  # test hook: every version written, the catalog not yet moved
    try:
        replace_atomically(publish_dir / CATALOG, lambda tmp: _write_json(tmp, catalog))
        _fsync_dir(publish_dir)
    except OSError as exc:
        raise PublishError(f"the catalog {publish_dir / CATALOG} was not moved: {exc.strerror or exc}; "
                           "it still points at the previous versions") from None
    return made_current


def replace_atomically(target: Path, write) -> None:
    """`write(tmp)` to a hidden file beside `target`, fsync, os.replace: a reader sees the old file or the
    new one, never half. On an OSError the temporary file is removed and the error raised."""
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        write(tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _point_entry(catalog: dict, publish_dir: Path, mart: str, version: str, run_id: str) -> bool:
    """Point the mart's entry at `version`. The entry records runs (the catalog is the one mutable file):
    `published_by[v]`: the run that wrote version v (its metadata.json's run id; the run pointing the
    catalog when that is missing); `current_since`: the run that made the current version current.
    Returns whether this run made the version current (False: it was current already, nothing changes)."""
    entry = catalog["marts"].get(mart, {})
    metadata = read_metadata(publish_dir, mart, version)
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
    return not already_current
