"""Who publishes, under which licence, and whom to contact: `publication.toml` beside this module,
declared once and read by metadata.json (assets/publish.py) and the data packages (datapackage.py)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

SETTINGS_PATH = Path(__file__).with_name("publication.toml")


@lru_cache(maxsize=1)
def publication_settings() -> dict:
    """publication.toml: [publisher], [contact], [license], [package]."""
    with SETTINGS_PATH.open("rb") as fh:
        return tomllib.load(fh)


def license_info() -> dict:
    """The licence as metadata.json and the data packages give it (name, title, path)."""
    return dict(publication_settings()["license"])


def contributors() -> list[dict]:
    """Publisher and contact as Frictionless contributors (also in metadata.json)."""
    s = publication_settings()
    publisher = {"title": s["publisher"]["title_nl"], "role": "publisher"}
    if s["publisher"].get("path"):
        publisher["path"] = s["publisher"]["path"]
    contact = {key: value for key, value in s["contact"].items() if key in ("title", "email", "path") and value}
    return [publisher, {**contact, "role": "contact"}]
