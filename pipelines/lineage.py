"""Which models a published mart is built on, from the dbt manifest (no Dagster import).

Used to publish consistently (issue #10): a mart is published only when every published mart it is
built on passed its gate in the same run, and the revision check blocks only marts that are built
on the cells of DUO deliveries (`int_counted_cells`).
"""

from __future__ import annotations

from functools import lru_cache

from pipelines.dbt_settings import load_manifest


@lru_cache(maxsize=1)
def _parents() -> dict[str, list[str]]:
    manifest = load_manifest()  # dbt parse when missing or stale
    return {node["name"]: [p.split(".")[-1] for p in node["depends_on"]["nodes"] if p.startswith("model.")]
            for node in manifest["nodes"].values() if node["resource_type"] == "model"}


def upstream_models(model: str) -> set[str]:
    """Every model `model` is built on, transitively (not itself)."""
    parents, seen, todo = _parents(), set(), list(_parents().get(model, []))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(parents.get(name, []))
    return seen


def upstream_marts(mart: str, published: set[str] | list[str]) -> list[str]:
    """The published marts `mart` is built on (e.g. audit_judgements -> institution_growth)."""
    return sorted(upstream_models(mart) & set(published))


def uses_deliveries(mart: str, published: set[str] | list[str] = ()) -> bool:
    """The mart's figures are computed from DUO cells (`int_counted_cells`, the winning deliveries'
    cells) directly; a mart built on another published mart is held back through that one instead."""
    return "int_counted_cells" in upstream_models(mart) and not upstream_marts(mart, published)
