"""Run a Great Expectations suite file from `expectations/` on a (small) mart DataFrame."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pipelines.dbt_settings import mart_grains, seed_column
from pipelines.paths import EXPECTATIONS_DIR


@dataclass(frozen=True)
class GateResult:
    suite: str
    success: bool
    evaluated: int
    failed: list[dict]  # one entry per failed expectation: type, kwargs, why, unexpected_count, examples
    result: dict  # the full GX validation result (JSON-serialisable)

    def summary(self) -> dict:
        return {"suite": self.suite, "success": self.success, "evaluated_expectations": self.evaluated,
                "failed_expectations": self.failed}

    def describe(self) -> str:
        if self.success:
            return f"gate {self.suite}: {self.evaluated} expectations passed"
        parts = [f"{f['type']}({f['kwargs'].get('column') or f['kwargs'].get('column_A') or ''})"
                 f" unexpected={f['unexpected_count']}" for f in self.failed]
        return f"gate {self.suite}: {len(self.failed)} of {self.evaluated} expectations failed: " + "; ".join(parts)


def load_suite_file(name: str, directory: Path = EXPECTATIONS_DIR) -> dict:
    """A suite file, with the facts it refers to filled in from their one declaration:
    `"$grain"` is the mart's grain (models/marts/_marts.yml), `{"$seed": S, "column": C, "plus": [..]}`
    the values of a seed's column (e.g. the programs), plus any extra values."""
    spec = json.loads((directory / f"{name}.json").read_text(encoding="utf-8"))
    for expectation in spec["expectations"]:
        expectation["kwargs"] = {key: _resolve(name, value) for key, value in expectation["kwargs"].items()}
    return spec


def suite_columns(name: str, directory: Path = EXPECTATIONS_DIR) -> set[str]:
    """The columns a suite's expectations name (column, column_A/B, column_list)."""
    named: set[str] = set()
    for expectation in load_suite_file(name, directory)["expectations"]:
        kwargs = expectation["kwargs"]
        named.update(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs)
        named.update(kwargs.get("column_list") or [])
    return named


def _resolve(mart: str, value):
    if value == "$grain":
        return mart_grains()[mart]
    if isinstance(value, dict) and "$seed" in value:
        return [*seed_column(value["$seed"], value["column"]), *value.get("plus", [])]
    return value


@lru_cache(maxsize=1)
def _context():
    """One ephemeral (in-memory) GX context per process, shared by the seven gates of a run: made once,
    not once per suite. No usage statistics (set here, not through the environment), no progress bars."""
    import great_expectations as gx  # slow import (4-5 s of CPU): only when a gate runs
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    context = gx.get_context(mode="ephemeral", project_config=DataContextConfig(
        analytics_enabled=False, store_backend_defaults=InMemoryStoreBackendDefaults()))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.data_sources.add_pandas("marts")
    return context


def _batch_definition(context, name: str):
    """The mart's whole-dataframe batch (asset `name` of data source `marts`), made on its first gate."""
    source = context.data_sources.get("marts")
    if name not in source.get_asset_names():
        return source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole_mart")
    return source.get_asset(name).get_batch_definition("whole_mart")


def run_suite(name: str, frame: pd.DataFrame, directory: Path = EXPECTATIONS_DIR) -> GateResult:
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    spec = load_suite_file(name, directory)
    context = _context()
    batch = _batch_definition(context, name)
    suite = ExpectationSuite(name=spec["name"], meta=spec.get("meta", {}))
    for exp in spec["expectations"]:
        suite.add_expectation_configuration(
            ExpectationConfiguration(type=exp["type"], kwargs=exp["kwargs"], meta=exp.get("meta", {})))
    # The suite file is read anew for every gate (a changed file counts at once): add or replace it.
    suite = context.suites.add_or_update(suite)
    validation = context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=f"{name}_gate", data=batch, suite=suite))
    result = validation.run(batch_parameters={"dataframe": frame}).to_json_dict()

    failed = []
    for r in result["results"]:
        if r["success"]:
            continue
        cfg = r["expectation_config"]
        failed.append({
            "type": cfg["type"], "kwargs": {k: v for k, v in cfg["kwargs"].items() if k != "batch_id"},
            "why": (cfg.get("meta") or {}).get("why", ""),
            "unexpected_count": r["result"].get("unexpected_count", r["result"].get("observed_value")),
            "examples": r["result"].get("partial_unexpected_list", [])[:5],
            "exception": (r.get("exception_info") or {}).get("exception_message"),
        })
    return GateResult(suite=name, success=bool(result["success"]), evaluated=len(result["results"]),
                      failed=failed, result=result)
