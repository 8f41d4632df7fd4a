"""Checks before a run takes the lock or starts the job: each problem is one line, no traceback.

A nonexistent raw directory, a publish or state directory the run cannot write, and a warehouse
file DuckDB cannot open (named as corrupt, not as locked: another run's lock is waited for later).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines.settings import RunSettings


class PreflightError(Exception):
    """The run cannot start; the message names the path and what to do."""


def nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable_dir(path: Path, what: str) -> None:
    existing = nearest_existing(path)
    if not existing.is_dir():
        raise PreflightError(f"the {what} {path} cannot be created: {existing} is not a directory")
    try:  # a real write: access() says yes to root, and to a read-only file system
        fd, probe = tempfile.mkstemp(prefix=".betamonitor-write-check-", dir=existing)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise PreflightError(f"the {what} {path} is not writable ({existing}: {exc.strerror or exc})") from None


def warehouse_problem(warehouse: Path) -> str | None:
    """Why DuckDB cannot open the warehouse, unless it is held by another process (waited for later)."""
    if not warehouse.exists():
        return None
    if not warehouse.is_file():
        return f"the warehouse {warehouse} is not a file"
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            con.execute("select count(*) from duckdb_tables()").fetchall()
            con.execute("select count(*) from duckdb_columns()").fetchall()
    except duckdb.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        if "lock" in first.lower():
            return None
        return (f"the warehouse {warehouse} is corrupt ({first}); move it aside and run again: "
                "every figure is rebuilt from the raw directory, decisions included")
    return None


def check_run_inputs(settings: RunSettings) -> None:
    raw_dir = Path(settings.raw_dir)
    if not raw_dir.exists():
        raise PreflightError(f"the raw directory {raw_dir} does not exist (--raw-dir)")
    if not raw_dir.is_dir():
        raise PreflightError(f"the raw directory {raw_dir} is not a directory (--raw-dir)")
    if not os.access(raw_dir, os.R_OK | os.X_OK):
        raise PreflightError(f"the raw directory {raw_dir} is not readable")
    check_writable_dir(Path(settings.publish_dir), "publish directory")
    check_writable_dir(Path(settings.warehouse).parent, "state directory (beside the warehouse)")
    problem = warehouse_problem(Path(settings.warehouse))
    if problem:
        raise PreflightError(problem)
