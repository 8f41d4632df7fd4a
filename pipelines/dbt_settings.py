"""The dbt project as the library needs it: its vars and seeds, and its manifest (parsed lazily).

No Dagster here: the Dagster layer (assets/dbt.py) builds its dbt assets on the manifest this
module prepares, and the trace, lineage and publish metadata read the same manifest through
`load_manifest` (the one loader: read and parsed once per process while the file stays the same).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import yaml

from pipelines.paths import DBT_PROJECT_DIR

# dagster-dbt's DbtProject uses this target path too (assets/dbt.py).
MANIFEST_PATH = DBT_PROJECT_DIR / "target" / "manifest.json"
# dbt from this interpreter's environment, so nothing depends on an activated venv or PATH.
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


@lru_cache(maxsize=1)
def dbt_vars() -> dict:
    """The project's dbt vars (masking constants, disclosure threshold, the DUO datasets): one
    source for SQL and Python."""
    return yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]


@lru_cache(maxsize=8)
def seed_rows(name: str) -> tuple[dict, ...]:
    """A dbt seed's rows (`dbt_project/seeds/<name>.csv`), for the few rules Python applies at ingest."""
    import csv

    with (DBT_PROJECT_DIR / "seeds" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=1)
def mart_grains() -> dict[str, list[str]]:
    """Each published mart's grain, declared once in models/marts/_marts.yml (model meta `grain`,
    which the mart's uniqueness test reuses); MartSpec and the GX suites read it from here."""
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {m["name"]: list(m["config"]["meta"]["grain"]) for m in spec["models"]}


@lru_cache(maxsize=1)
def mart_declarations() -> dict[str, dict]:
    """Each published mart's model meta in models/marts/_marts.yml: grain, title_nl, description_nl, the
    headline column and the site's charts (read by pipelines/publishing/charts.py)."""
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {m["name"]: dict(m.get("config", {}).get("meta", {})) for m in spec["models"]
            if "grain" in m.get("config", {}).get("meta", {})}


def seed_column(name: str, column: str) -> list[str]:
    """The distinct values of a seed's column, in file order (e.g. the programs of seed programs)."""
    return list(dict.fromkeys(r[column] for r in seed_rows(name)))


def value_domain(family: str, column: str) -> list[str]:
    """The known values of a DUO column (seed duo_value_domains, contract 11.2), in file order."""
    return [r["value"] for r in seed_rows("duo_value_domains") if r["family"] == family and r["column_name"] == column]


def programs() -> list[str]:
    """The Platform programs (seed programs): programs/*.csv and the audit workbooks accept these."""
    return seed_column("programs", "programma")


def programme_types(measure: str) -> dict[str, bool]:
    """HO programme / diploma types known for a measure -> whether they count (seed ho_programme_types)."""
    return {r["programme_type"]: r["is_counted"] == "true" for r in seed_rows("ho_programme_types")
            if r["measure"] == measure}


def sector_parts() -> dict[str, tuple[str, ...]]:
    """Aggregate sectors and the sectors they sum (seed sector_aggregates: ho = hbo + wo, ...)."""
    parts: dict[str, tuple[str, ...]] = {}
    for r in seed_rows("sector_aggregates"):
        parts[r["aggregate_sector"]] = (*parts.get(r["aggregate_sector"], ()), r["part_sector"])
    return parts


def newest_source_mtime() -> float:
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        files.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    return max(p.stat().st_mtime for p in files)


@contextmanager
def parse_lock() -> Iterator[None]:
    """One dbt parse at a time in the project's target folder (processes of one checkout share it)."""
    MANIFEST_PATH.parent.mkdir(parents=True, exist_ok=True)
    with open(MANIFEST_PATH.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def ensure_manifest() -> Path:
    """`dbt parse` when the manifest is missing or older than the dbt sources; the manifest's path.

    Called when something needs the manifest (building the Dagster definitions, lineage, trace),
    never at import. dagster-dbt's DbtProject.prepare_if_dev() only acts under `dagster dev`.
    """
    if _manifest_is_current():
        return MANIFEST_PATH
    # Several processes may start at once on a fresh checkout (test workers, a run beside `dagster dev`):
    # one parses while the others wait, and the manifest appears whole (parsed into a directory of this
    # process, then renamed), so nobody reads a half-written file.
    with parse_lock():
        if not _manifest_is_current():
            with tempfile.TemporaryDirectory(prefix=".parse-", dir=MANIFEST_PATH.parent) as parsed:
                subprocess.run([DBT_EXECUTABLE, "--quiet", "parse", "--project-dir", str(DBT_PROJECT_DIR),
                                "--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", parsed],
                               check=True, cwd=DBT_PROJECT_DIR)
                os.replace(Path(parsed) / "manifest.json", MANIFEST_PATH)
    return MANIFEST_PATH


def _manifest_is_current() -> bool:
    return MANIFEST_PATH.exists() and MANIFEST_PATH.stat().st_mtime >= newest_source_mtime()


def load_manifest(*, ensure: bool = True) -> dict:
    """The dbt manifest (dbt_project/target/manifest.json), parsed.

    `ensure=True` first runs `ensure_manifest` (dbt parse when the manifest is missing or older than
    the dbt sources); `ensure=False` reads the file as it is (a run's publish steps and the trace read
    the manifest the run was built on) and raises FileNotFoundError when there is none. The parsed
    manifest is cached per file state (path, size, mtime): a new `dbt parse` is read again. Callers must
    not change the dict they get."""
    return read_manifest(ensure_manifest() if ensure else MANIFEST_PATH)


def read_manifest(path: Path) -> dict:
    """A manifest file, parsed once per file state (see load_manifest)."""
    st = os.stat(path)
    return _parsed_manifest(os.path.abspath(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=2)
def _parsed_manifest(path: str, size: int, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)
