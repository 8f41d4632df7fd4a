"""Finding the publication: catalog -> version -> metadata and the published row; the version's
recorded inputs checked against the raw directory; the dbt models a mart passed through."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.dbt_settings import load_manifest
from pipelines.ingest.deliveries import sha256_of_file
from pipelines.publishing import reader
from pipelines.trace.model import TraceError


def parse_where(text: str) -> dict:
    keys = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "=" not in part:
            raise TraceError(f"--where takes key=value pairs, got {part!r}")
        k, v = part.split("=", 1)
        if k.strip() in keys:  # `year=2007,year=2006` must not silently trace 2006
            raise TraceError(f"--where names {k.strip()!r} twice ({keys[k.strip()]!r} and {v.strip()!r}): give each key once")
        keys[k.strip()] = v.strip()
    return keys


def load_publication(publish_dir: Path, mart: str, version: str | None) -> tuple[str, dict, list[dict]]:
    entry = reader.catalog_entry(publish_dir, mart)
    if entry is None:
        raise TraceError(f"{mart} is not in {publish_dir / reader.CATALOG}")
    version = version or entry["version"]
    if not reader.has_version(publish_dir, mart, version):
        raise TraceError(f"version {version} of {mart} is not in {publish_dir}")
    try:
        metadata, rows = reader.read_version(publish_dir, mart, version)
    except reader.PublicationError as exc:
        raise TraceError(str(exc)) from None
    return version, metadata, rows


def find_row(rows: list[dict], grain: list[str], keys: dict) -> dict:
    unknown = set(keys) - set(grain)
    if unknown:
        raise TraceError(f"{', '.join(sorted(unknown))} not in the grain ({', '.join(grain)})")
    missing = [g for g in grain if g not in keys]
    if missing:
        raise TraceError(f"give every grain key; missing: {', '.join(missing)}")
    hits = [r for r in rows if all(r[k] == str(v) for k, v in keys.items())]
    if len(hits) != 1:
        raise TraceError(f"{len(hits)} published rows match {keys}")
    return hits[0]


def model_chain(mart: str) -> list[dict]:
    """The dbt models upstream of the mart (from the manifest), data flow order, with file paths."""
    nodes = load_manifest(ensure=False)["nodes"]  # the manifest the run was built on
    order: list[str] = []

    def visit(uid: str) -> None:
        for dep in nodes[uid].get("depends_on", {}).get("nodes", []):
            if dep in nodes and nodes[dep]["resource_type"] in ("model", "seed") and dep not in order:
                visit(dep)
        if uid not in order:
            order.append(uid)

    visit(f"model.betamonitor.{mart}")
    return [{"model": nodes[u]["name"], "path": f"dbt_project/{nodes[u]['original_file_path']}",
             "description": re.split(r"\.\s+(?=[A-Z])", " ".join(nodes[u].get("description", "").split()))[0].rstrip(".")}
            for u in order
            if nodes[u]["resource_type"] == "model"]


class Inputs:
    """The inputs a version recorded, checked against the raw directory."""

    def __init__(self, metadata: dict, raw_dir: Path):
        self.recorded = metadata["inputs"]
        self.raw_dir = raw_dir
        self.checked: dict[str, dict] = {}

    def deliveries(self, datasets, year: int, column: str = "years_used", sectors=None) -> list[dict]:
        """The recorded deliveries of these datasets that supplied (`years_used`) or lost
        (`years_superseded`) the year in this version, for any of `sectors` when given (vintages are
        per sector, contract 11.1; versions recorded before that have no `by_sector`)."""
        def has_year(entry: dict) -> bool:
            if sectors is None or "by_sector" not in entry:
                return year in entry[column]
            return any(year in entry["by_sector"].get(s, {}).get(column, []) for s in sectors)
        return [i for i in self.recorded if i["kind"] == "delivery" and i["dataset"] in datasets and has_year(i)]

    def check(self, entry: dict) -> dict:
        path = entry["path"]
        if path not in self.checked:
            file = self.raw_dir / path
            if not file.is_file():
                status = "gone: the file is no longer in the raw directory"
            elif sha256_of_file(file) != entry["sha256"]:  # in chunks: any size
                status = "changed: its sha256 differs from the one recorded in the publication"
            else:
                status = "ok"
            self.checked[path] = {**entry, "status": status}
        return self.checked[path]

    def current(self, kind: str, path_prefix: str = "") -> list[dict]:
        return [self.check(i) for i in self.recorded if i["kind"] == kind and i["path"].startswith(path_prefix)]
