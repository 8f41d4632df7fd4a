"""Frictionless Data Packages (https://datapackage.org) of published marts: one `datapackage.json` in
every version folder (written by the publisher with the version's other files) and one of the current
versions at `<publish>/datapackage.json` (latest.py).

Built from a version's metadata.json only (columns with their DuckDB type, Dutch label and
description, grain, symbols, as-of date) and publication.toml (publisher, contact, licence): no clock,
so the same inputs give the same bytes."""

from __future__ import annotations

import json
import re

from pipelines.publishing import texts_nl
from pipelines.publishing.publication import contributors, license_info, publication_settings

DATAPACKAGE = "datapackage.json"
_INTEGER = {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
            "UBIGINT", "UHUGEINT", "INT", "INT1", "INT2", "INT4", "INT8", "LONG", "SHORT"}
_NUMBER = {"DOUBLE", "FLOAT", "REAL", "FLOAT4", "FLOAT8"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def field_type(sql_type: str) -> str:
    """The Frictionless field type of a DuckDB column type."""
    t = sql_type.strip().upper()
    if t in ("BOOLEAN", "BOOL", "LOGICAL"):
        return "boolean"
    if t in _INTEGER:
        return "integer"
    if t in _NUMBER or t.startswith(("DECIMAL", "NUMERIC")):
        return "number"
    if t == "DATE":
        return "date"
    if t.startswith("TIMESTAMP"):
        return "datetime"
    if t == "TIME":
        return "time"
    return "string"


def _field(column: dict) -> dict:
    field = {"name": column["name"], "type": field_type(column["type"]),
             "title": column.get("label") or column["name"],
             "description": column.get("description_nl") or column.get("description") or ""}
    if column.get("unit"):
        field["unit"] = texts_nl.unit(column["unit"])  # Dutch (versions written before it was: translated)
    return field


def resource(metadata: dict, path: str, *, csv_sha256: str, csv_bytes: int) -> dict:
    """A mart version's data.csv as a tabular resource; `path` relative to the package's folder."""
    return {
        "name": metadata["mart"],
        "path": path,
        "title": metadata.get("title_nl") or metadata.get("title") or metadata["mart"],
        "description": metadata.get("description_nl") or metadata.get("description") or "",
        "version": metadata["version"],
        "as_of": metadata.get("as_of"),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": csv_bytes,
        "hash": f"sha256:{csv_sha256}",
        "dialect": {"csv": {"delimiter": ",", "header": True}},
        "schema": {
            "fields": [_field(c) for c in metadata["columns"]],
            "primaryKey": list(metadata["grain"]),
            "missingValues": [""],
        },
        # What an empty cell or a symbol in a cell means (metadata.json `symbols`).
        "symbols": dict(metadata.get("symbols") or {}),
    }


def _package(name: str, title: str, description: str, version: str, as_of: str | None, resources: list[dict]) -> dict:
    package = {"name": name, "title": title, "description": description, "version": version}
    if as_of and _DATE.match(as_of):
        package["created"] = f"{as_of}T00:00:00Z"  # the publication date: the as-of date, not a clock
    package["as_of"] = as_of
    package.update({"licenses": [license_info()], "contributors": contributors(),
                    "keywords": list(publication_settings()["package"].get("keywords", [])),
                    "resources": resources})
    return package


def version_package(metadata: dict, *, csv_sha256: str, csv_bytes: int) -> dict:
    """The data package of one mart version (its datapackage.json, beside data.csv)."""
    res = resource(metadata, "data.csv", csv_sha256=csv_sha256, csv_bytes=csv_bytes)
    return _package(f"betamonitor-{metadata['mart']}", res["title"], res["description"], metadata["version"],
                    metadata.get("as_of"), [res])


def current_package(resources: list[dict], versions: dict[str, str]) -> dict:
    """The data package of the current versions (`<publish>/datapackage.json`); `resources` with paths
    relative to the publish directory. Its version: the newest as-of date and a hash of the versions."""
    import hashlib

    settings = publication_settings()["package"]
    as_of = max((r["as_of"] for r in resources if r.get("as_of")), default=None)
    digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()[:12]
    return _package(settings["name"], settings["title_nl"], settings["description_nl"], f"{as_of}_{digest}",
                    as_of, resources)


def package_bytes(package: dict) -> bytes:
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
