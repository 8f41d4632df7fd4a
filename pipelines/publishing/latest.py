"""Stable paths of the current versions (published-marts contract v2):

    <publish>/latest/<mart>.csv       the current version's data.csv
    <publish>/latest/<mart>.parquet   the current version's data.parquet
    <publish>/datapackage.json        the Frictionless data package of the current versions

They follow catalog.json: `update_latest` is called right after the run's one catalog move
(orchestration/outcome.commit_publications), also when the run only re-pointed the catalog at an
existing version. Each file is compared with the sha256 the version's metadata.json records and
rewritten only when it differs (a deleted or edited file is repaired), by copying to a temporary
file in the same folder, fsync and os.replace: a reader sees the old file or the new one, never half.
`latest_problems` lists what is missing or different, for the no-change fingerprint."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.publishing import reader
from pipelines.publishing.datapackage import DATAPACKAGE, current_package, package_bytes, resource
from pipelines.publishing.publisher import _fsync_dir, _sha256, replace_atomically

LATEST = "latest"
FILES = {"csv": reader.DATA_CSV, "parquet": reader.DATA_PARQUET}


def _current(publish_dir: Path) -> list[tuple[str, str, dict]]:
    """(mart, version, metadata) of every current version whose metadata.json is readable and lists its
    files (a damaged version is left out: the publisher's checks report it; latest/ keeps what it has)."""
    return [(mart, version, metadata) for mart, version, metadata in reader.current_versions(publish_dir)
            if isinstance(metadata.get("files"), dict)]


def expected_files(publish_dir: Path) -> dict[str, tuple[Path, str]]:
    """latest/<mart>.<ext> (relative to the publish dir) -> (the current version's file, its recorded sha256)."""
    out = {}
    for mart, version, metadata in _current(publish_dir):
        for ext, name in FILES.items():
            if name in metadata["files"]:
                out[f"{LATEST}/{mart}.{ext}"] = (reader.version_paths(publish_dir, mart, version).file(name),
                                                 metadata["files"][name])
    return out


def root_package(publish_dir: Path) -> bytes:
    """`<publish>/datapackage.json` for the current catalog: one resource per mart, paths into its version."""
    resources, versions = [], {}
    for mart, version, metadata in _current(publish_dir):
        data = reader.version_paths(publish_dir, mart, version).csv
        described = {**metadata, "mart": mart, "version": version}
        if "grain" not in described or "columns" not in described or not data.is_file():
            continue
        resources.append(resource(described, f"{mart}/{version}/{reader.DATA_CSV}",
                                  csv_sha256=metadata["files"][reader.DATA_CSV],
                                  csv_bytes=data.stat().st_size))
        versions[mart] = version
    return package_bytes(current_package(resources, versions))


def latest_problems(publish_dir: Path) -> list[str]:
    """Stable paths that are missing or differ from the current versions (empty: all in place)."""
    publish_dir = Path(publish_dir)
    problems = []
    for rel, (_, recorded) in sorted(expected_files(publish_dir).items()):
        if not _matches(publish_dir / rel, recorded):
            problems.append(f"{rel}: {'differs from the current version' if (publish_dir / rel).exists() else 'missing'}")
    if reader.catalog_marts(publish_dir) and not _package_in_place(publish_dir, root_package(publish_dir)):
        problems.append(f"{DATAPACKAGE}: " + ("differs from the current versions"
                                              if (publish_dir / DATAPACKAGE).exists() else "missing"))
    return problems


def _matches(path: Path, recorded: str) -> bool:
    """The file exists and has the recorded sha256."""
    try:
        return _sha256(path) == recorded
    except OSError:
        return False


def _package_in_place(publish_dir: Path, package: bytes) -> bool:
    try:
        return (publish_dir / DATAPACKAGE).read_bytes() == package
    except OSError:
        return False


def update_latest(publish_dir: Path) -> list[str]:
    """Bring latest/ and datapackage.json in line with catalog.json; returns the paths it rewrote
    (relative to the publish dir; empty when everything was in place). A current version's file that
    no longer matches its metadata.json is not copied (the publisher's checks report it)."""
    publish_dir = Path(publish_dir)
    written = []
    expected = expected_files(publish_dir)
    if expected:
        (publish_dir / LATEST).mkdir(exist_ok=True)
    for stale in (publish_dir / LATEST).glob(".*.tmp") if (publish_dir / LATEST).is_dir() else []:
        stale.unlink(missing_ok=True)  # left by a killed run
    for rel, (source, recorded) in sorted(expected.items()):
        # in place already, or a damaged source (never copied: the publisher's checks report it)
        if _matches(publish_dir / rel, recorded) or not _matches(source, recorded):
            continue
        replace_atomically(publish_dir / rel, lambda tmp, source=source: shutil.copyfile(source, tmp))
        written.append(rel)
    if reader.catalog_marts(publish_dir):
        package = root_package(publish_dir)
        if not _package_in_place(publish_dir, package):
            replace_atomically(publish_dir / DATAPACKAGE, lambda tmp: tmp.write_bytes(package))
            written.append(DATAPACKAGE)
    if written:
        _fsync_dir(publish_dir / LATEST if expected else publish_dir)
        _fsync_dir(publish_dir)
    return written
