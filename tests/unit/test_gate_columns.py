"""The gates read only the columns they check (issue 18): each mart's suite columns, its grain and
what its derived checks read; every one of them is a column of the mart (models/marts/_marts.yml)."""

from __future__ import annotations

import yaml

from pipelines.marts import MARTS
from pipelines.paths import DBT_PROJECT_DIR
from pipelines.quality.gx_gate import suite_columns


def declared_columns() -> dict[str, list[str]]:
    spec = yaml.safe_load((DBT_PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text(encoding="utf-8"))
    return {m["name"]: [c["name"] for c in m.get("columns", [])] for m in spec["models"]}


def test_a_gate_reads_its_grain_suite_and_derived_inputs_in_the_marts_order():
    columns = declared_columns()
    for name, spec in MARTS.items():
        read = spec.gate_columns(columns[name])
        assert read == [c for c in columns[name] if c in read]
        assert set(spec.grain) <= set(read)
        assert {c for c in suite_columns(name) if not c.startswith("_")} <= set(read), name
        assert {c for c in spec.reads if c in columns[name]} <= set(read)


def test_what_a_gate_reads_is_a_column_of_its_mart():
    columns = declared_columns()
    for name, spec in MARTS.items():
        suite = {c for c in suite_columns(name) if not c.startswith("_")}  # `_` columns are derived
        assert suite <= set(columns[name]), (name, suite - set(columns[name]))
        # the program quarantine reads program or school_group, and sector where the mart has one
        assert {c for c in spec.reads if c not in ("program", "school_group", "sector")} <= set(columns[name]), name
