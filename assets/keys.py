"""Asset keys shared across the asset modules (one spelling per layer)."""

import dagster as dg


def mart_key(mart: str) -> dg.AssetKey:
    return dg.AssetKey(["marts", mart])


def published_key(mart: str) -> dg.AssetKey:
    return dg.AssetKey(["published", mart])
