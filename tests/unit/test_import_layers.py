"""One direction of imports and no work at import (docs/design.md, "Layers").

orchestration/ (command, code location) > assets/ (Dagster assets and checks) > pipelines/ (library).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_import_contracts_are_kept():
    """import-linter's contracts in pyproject.toml: layers, and no Dagster or dbt in the library."""
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _in_fresh_interpreter(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


# Imports the third-party packages first (some set variables or run a subprocess at their own import:
# pandera, dagster), then every module of ours with subprocesses forbidden, and reports what got
# imported and which environment variables our modules changed.
PROBE = """
import importlib, os, pkgutil, subprocess, sys
for third_party in {third_party!r}:
    importlib.import_module(third_party)
def refuse(*a, **k):
    raise AssertionError(f"a subprocess ran at import: {{a[0] if a else k}}")
subprocess.run = subprocess.Popen = subprocess.check_output = refuse
before = dict(os.environ)
names = []
for package in {packages!r}:
    root = importlib.import_module(package)
    names.append(package)
    names += [m.name for m in pkgutil.walk_packages(root.__path__, package + ".")]
for name in names:
    importlib.import_module(name)
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"dagster", "dagster_dbt", "dbt", "great_expectations",
                                                         "assets", "orchestration"}})
changed = sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))
print(len(names), heavy, changed)
"""


LIBRARY_DEPENDENCIES = ["duckdb", "pandas", "pandera.pandas", "pyarrow", "yaml", "openpyxl"]


def test_importing_the_library_runs_no_dagster_dbt_or_gx_and_touches_no_environment():
    count, heavy, changed = _in_fresh_interpreter(PROBE.format(third_party=LIBRARY_DEPENDENCIES, packages=["pipelines"])).split(" ", 2)
    assert int(count) > 20
    assert heavy == "[]", f"importing pipelines imported {heavy}"
    assert changed == "[]", f"importing pipelines changed the environment: {changed}"


def test_importing_the_dagster_layer_parses_nothing_and_touches_no_environment():
    """Assets and the code location are built on first use (dbt parse included), not at import."""
    out = _in_fresh_interpreter(PROBE.format(third_party=[*LIBRARY_DEPENDENCIES, "dagster", "dagster_dbt"],
                                              packages=["assets", "orchestration"]))
    assert out.endswith("[]"), f"importing the Dagster layer changed the environment: {out}"
