"""validation.json of a published version: the full Great Expectations validation result, made a pure
function of the mart, the suite and the as-of date.

GX stamps every validation with the wall-clock time and fresh uuids. Those say when and in which
process the gate ran, which is a property of the run, not of the version (the run report and
`state/gates/<run_id>/<mart>.json` keep the untouched result). Here:
- the times (`meta.validation_time`, `meta.run_id.run_time`, `meta.batch_markers.ge_load_time`)
  become the version's as-of date;
- the ids (`id`, `meta.validation_id`, `meta.checkpoint_id`, each `results[].expectation_config.id`)
  are removed;
- `meta.betamonitor_normalised` says so, in the file itself.
Everything else (statistics, each expectation's kwargs, result, success) is kept as GX wrote it.
"""

from __future__ import annotations

import copy

TIMES = (("validation_time",), ("run_id", "run_time"), ("batch_markers", "ge_load_time"))  # under "meta"
META_IDS = ("validation_id", "checkpoint_id")
NOTE = ("Normalised for a reproducible publication: validation_time, run_id.run_time and "
        "batch_markers.ge_load_time are the as-of date (not when the gate ran); the uuids id, validation_id, "
        "checkpoint_id and each expectation_config.id are removed. The run's own result is kept in the run "
        "state (state/gates/<run_id>/<mart>.json).")


def stable_validation(result: dict, as_of: str) -> dict:
    """A copy of a GX validation result (`to_json_dict()`) without run-dependent times and ids."""
    out = copy.deepcopy(result)
    out.pop("id", None)
    meta = out.get("meta")
    if isinstance(meta, dict):
        for path in TIMES:
            *parents, leaf = path
            node = meta
            for key in parents:
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, dict) and leaf in node:
                node[leaf] = as_of
        for key in META_IDS:
            meta.pop(key, None)
        meta["betamonitor_normalised"] = NOTE
    for r in out.get("results") or []:
        if isinstance(r, dict) and isinstance(r.get("expectation_config"), dict):
            r["expectation_config"].pop("id", None)
    return out
