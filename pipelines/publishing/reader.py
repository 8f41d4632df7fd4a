"""The one way to read a publish directory: the catalog, a version's folder, its metadata.json and its
rows (data.csv), and a mart's history (which version came before which).

`betamonitor diff`, the site, the trace, latest/ and the data packages, the publisher's own checks and
the figure revision check read published versions through this module only. It reads; it never
writes (publisher.py writes versions and moves the catalog). No Dagster or dbt here.

Errors: `PublicationError` (a ValueError) names the file that is missing or cannot be read.
`read_catalog` of a directory without a catalog gives an empty catalog (nothing published yet).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

CATALOG = "catalog.json"
METADATA = "metadata.json"
DATA_CSV = "data.csv"
DATA_PARQUET = "data.parquet"
VALIDATION = "validation.json"
EMPTY_CATALOG = {"catalog_format": 1, "marts": {}}


class PublicationError(ValueError):
    """A published file is missing or unreadable; the message names it. `cause`: the name of the
    underlying error (FileNotFoundError, JSONDecodeError, ...)."""

    def __init__(self, message: str, cause: BaseException | str = ""):
        super().__init__(message)
        self.cause = cause if isinstance(cause, str) else cause.__class__.__name__


# --- the catalog ---------------------------------------------------------------------------------------

def read_catalog(publish_dir: Path) -> dict:
    """catalog.json of the publish directory; without one, an empty catalog. An unreadable catalog
    raises what reading or parsing it raised (OSError, ValueError), as it always has."""
    path = Path(publish_dir) / CATALOG
    if not path.exists():
        return {**EMPTY_CATALOG, "marts": {}}  # a fresh dict: callers fill it
    return json.loads(path.read_text(encoding="utf-8"))


def catalog_marts(publish_dir: Path) -> dict[str, dict]:
    """mart -> its catalog entry (empty when nothing is published)."""
    return read_catalog(publish_dir).get("marts") or {}


def catalog_entry(publish_dir: Path, mart: str) -> dict | None:
    """The mart's catalog entry, or None when the catalog does not know it."""
    return catalog_marts(publish_dir).get(mart)


def current_version(publish_dir: Path, mart: str) -> str | None:
    """The version the catalog points at for the mart, or None."""
    entry = catalog_entry(publish_dir, mart)
    return entry["version"] if entry else None


def history(publish_dir: Path, mart: str) -> list[str]:
    """The mart's versions in publication order (the catalog's history; the current one when a catalog
    written before history existed has none)."""
    entry = catalog_entry(publish_dir, mart) or {}
    return list(entry.get("history") or ([entry["version"]] if entry.get("version") else []))


# --- history -------------------------------------------------------------------------------------------

def previous_version(versions: list[str], version: str) -> str | None:
    """The version published before `version` in a history (publication order), or None."""
    if version not in versions:
        return None
    i = versions.index(version)
    return versions[i - 1] if i > 0 else None


def version_folders(publish_dir: Path, mart: str) -> list[str]:
    """The names of the mart's version folders on disk, sorted (hidden .tmp-*/.damaged-* left out)."""
    folder = Path(publish_dir) / mart
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def version_before(publish_dir: Path, mart: str, version: str, versions: list[str] | None = None) -> str | None:
    """The version to compare `version` with: the one before it in the catalog history; for a version
    the history does not know, the newest version folder whose name sorts before it."""
    versions = history(publish_dir, mart) if versions is None else versions
    old = previous_version(versions, version)
    if old is None and version not in versions:
        older = [v for v in version_folders(publish_dir, mart) if v < version]
        old = older[-1] if older else None
    return old


# --- one version ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VersionPaths:
    """Where a version's files are (they need not exist)."""
    folder: Path

    @property
    def metadata(self) -> Path:
        return self.folder / METADATA

    @property
    def csv(self) -> Path:
        return self.folder / DATA_CSV

    @property
    def parquet(self) -> Path:
        return self.folder / DATA_PARQUET

    @property
    def validation(self) -> Path:
        return self.folder / VALIDATION

    def file(self, name: str) -> Path:
        return self.folder / name


def version_dir(publish_dir: Path, mart: str, version: str) -> Path:
    return Path(publish_dir) / mart / version


def version_paths(publish_dir: Path, mart: str, version: str) -> VersionPaths:
    return VersionPaths(version_dir(publish_dir, mart, version))


def has_version(publish_dir: Path, mart: str, version: str) -> bool:
    """The version's metadata.json exists (the publisher writes it last)."""
    return version_paths(publish_dir, mart, version).metadata.is_file()


def read_metadata(publish_dir: Path, mart: str, version: str) -> dict:
    """The version's metadata.json; PublicationError naming the file when it is missing, unreadable or
    not a JSON object."""
    path = version_paths(publish_dir, mart, version).metadata
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PublicationError(f"{path}: missing (version {version} of {mart} is not in {publish_dir})",
                               exc) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PublicationError(f"{path}: unreadable ({exc.__class__.__name__}: {exc})", exc) from None
    try:
        metadata = json.loads(text)
    except ValueError as exc:
        raise PublicationError(f"{path}: not valid JSON ({exc})", exc) from None
    if not isinstance(metadata, dict):
        raise PublicationError(f"{path}: not a JSON object", "TypeError")
    return metadata


def read_rows(publish_dir: Path, mart: str, version: str) -> list[dict]:
    """The version's data.csv as dicts (every value a string, as written)."""
    path = version_paths(publish_dir, mart, version).csv
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except FileNotFoundError as exc:
        raise PublicationError(f"{path}: missing", exc) from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PublicationError(f"{path}: unreadable ({exc.__class__.__name__}: {exc})", exc) from None


def read_version(publish_dir: Path, mart: str, version: str) -> tuple[dict, list[dict]]:
    """(metadata, rows) of a published version."""
    return read_metadata(publish_dir, mart, version), read_rows(publish_dir, mart, version)


def try_metadata(publish_dir: Path, mart: str, version: str) -> dict | None:
    """The version's metadata.json, or None when it is missing or unreadable (for callers that skip
    such a version; the publisher's checks report it)."""
    try:
        return read_metadata(publish_dir, mart, version)
    except PublicationError:
        return None


def current_versions(publish_dir: Path) -> list[tuple[str, str, dict]]:
    """(mart, version, metadata) of every current version whose metadata.json is readable, by mart."""
    out = []
    for mart, entry in sorted(catalog_marts(publish_dir).items()):
        version = entry.get("version") if isinstance(entry, dict) else None
        metadata = try_metadata(publish_dir, mart, version) if version else None
        if metadata is not None:
            out.append((mart, version, metadata))
    return out
