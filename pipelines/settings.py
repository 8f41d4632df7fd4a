"""A run's settings: where raw files, the warehouse and publications live, and the run's options.

Plain data (no Dagster): the library takes them as arguments; the Dagster layer hands them to its
assets as a resource (assets/resources.py) filled by `betamonitor run` or by BETAMONITOR_* variables.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import duckdb

from pipelines.dbt_settings import dbt_vars as project_vars
from pipelines.paths import DEFAULT_PUBLISH_DIR, DEFAULT_RAW_DIR, DEFAULT_WAREHOUSE
from pipelines.runs.lock import DEFAULT_LOCK_TIMEOUT, lock_timeout_from_env


@dataclass(frozen=True)
class RunSettings:
    """One run's settings, from the command line (or BETAMONITOR_* variables) down to the assets."""
    raw_dir: str = str(DEFAULT_RAW_DIR)
    publish_dir: str = str(DEFAULT_PUBLISH_DIR)
    warehouse: str = str(DEFAULT_WAREHOUSE)
    as_of: str = ""  # YYYY-MM-DD: only deliveries dated on or before it count; empty = all
    baseline_year: int = 0  # the year series are indexed on; 0 = the project's default (dbt var baseline_year)
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT  # seconds to wait for another run to release the warehouse
    force: bool = False  # run the whole job even when nothing changed since the last successful run

    @classmethod
    def from_env(cls, environ: dict | None = None) -> RunSettings:
        """For `dagster dev` and the daemon: BETAMONITOR_RAW_DIR, _PUBLISH_DIR, _WAREHOUSE, _AS_OF,
        _BASELINE_YEAR, _LOCK_TIMEOUT."""
        env = os.environ if environ is None else environ
        return cls(
            raw_dir=env.get("BETAMONITOR_RAW_DIR", str(DEFAULT_RAW_DIR)),
            publish_dir=env.get("BETAMONITOR_PUBLISH_DIR", str(DEFAULT_PUBLISH_DIR)),
            warehouse=env.get("BETAMONITOR_WAREHOUSE", str(DEFAULT_WAREHOUSE)),
            as_of=env.get("BETAMONITOR_AS_OF", ""),
            baseline_year=int(env.get("BETAMONITOR_BASELINE_YEAR") or 0),
            lock_timeout=lock_timeout_from_env(environ=env),
        )

    def resolved(self) -> RunSettings:
        """The same settings with absolute paths (what a run records and fingerprints)."""
        return replace(self, raw_dir=str(Path(self.raw_dir).resolve()),
                       publish_dir=str(Path(self.publish_dir).resolve()),
                       warehouse=str(Path(self.warehouse).resolve()))

    @property
    def state_dir(self) -> Path:
        """Run state beside the warehouse: gate results and reports per run."""
        return Path(self.warehouse).resolve().parent

    def duckdb_config(self) -> dict[str, str]:
        """DuckDB's memory for the run's connections, the job's and dbt's alike: the dbt vars
        duckdb_memory_limit and duckdb_temp_directory (declared once, in dbt_project.yml; a relative
        temp_directory is beside the warehouse). Every connection of one process to the warehouse must
        have the same configuration (DuckDB refuses a second one), so all of them come from here."""
        declared = project_vars()
        temp = Path(str(declared["duckdb_temp_directory"]))
        return {"memory_limit": str(declared["duckdb_memory_limit"]),
                "temp_directory": str(temp if temp.is_absolute() else self.state_dir / temp)}

    def connect(self, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        Path(self.warehouse).parent.mkdir(parents=True, exist_ok=True)
        return duckdb.connect(self.warehouse, read_only=read_only, config=self.duckdb_config())

    def validated_as_of(self) -> str:
        if self.as_of and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", self.as_of):
            raise ValueError(f"as-of must be YYYY-MM-DD, got {self.as_of!r}")
        if self.as_of:
            try:
                date.fromisoformat(self.as_of)
            except ValueError:
                raise ValueError(f"as-of {self.as_of!r} is not a valid calendar date (YYYY-MM-DD)") from None
        return self.as_of

    def as_of_date(self) -> date:
        """The run's as-of date; a run without one is as of today."""
        as_of = self.validated_as_of()
        return date.fromisoformat(as_of) if as_of else date.today()

    def dbt_vars(self) -> dict:
        """The run's options as dbt vars (only those set, so the project's defaults apply otherwise).

        The warehouse goes to dbt as a var too (profiles.yml reads it), so nothing sets os.environ, and
        so do DuckDB's memory settings (duckdb_config), which a dbt profile cannot read from the project."""
        run_vars: dict = {"as_of": self.validated_as_of(), "warehouse": str(Path(self.warehouse).resolve()),
                          **{f"duckdb_{key}": value for key, value in self.duckdb_config().items()},
                          # dbt's own process runs two queries at a time (threads: 2) over whole tables
                          "duckdb_memory_limit": str(project_vars()["dbt_duckdb_memory_limit"])}
        if self.baseline_year:
            if not 1900 <= self.baseline_year <= 2100:
                raise ValueError(f"baseline year must be a 4-digit year, got {self.baseline_year}")
            run_vars["baseline_year"] = self.baseline_year
        return run_vars
