"""dbt in this process: dbt's programmatic API (`dbtRunner`) behind what dagster-dbt reads of a dbt subprocess.

Why: a `dbt build` in a subprocess pays dbt's start-up (about 1.8 s of CPU) and a full parse of the
project (about 3.4 s) on every run whose warehouse path or options differ from the last one: every
test run and every benchmark run (dbt reuses a parse only for the same vars and profile). In this
process the project is parsed once (`parsed_manifest`) and each build gets a copy of that parse
(`dbtRunner(manifest=...)`), as dbt's docs describe for programmatic invocations. Measured on the
sample: 16 s of CPU for a subprocess build against about 9 s for a build in process.

Why a parse made with other vars is right for this run: the project uses vars only in SQL (never in a
`config()`, a yml file or a hook), and dbt renders SQL at compile time, which happens in every build
with that build's vars. The profile (which warehouse, DuckDB's settings) is read by every invocation.

`DbtInProcess` is what dagster-dbt's `DbtCliInvocation` reads of its `subprocess.Popen`: `args`,
`stdout` (dbt's structured log, one JSON event per line, as `dbt --log-format json` prints it),
`wait()` and `returncode`. So dagster-dbt still turns dbt's events into Dagster's (materializations,
asset checks, errors); only the process is gone. It imports dbt, so it lives beside the Dagster
layer's dbt resource (assets/dbt.py), not in the library (pyproject.toml's import contracts).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from pipelines.paths import DBT_PROJECT_DIR

logger = logging.getLogger(__name__)


def project_flags(target_path: Path) -> list[str]:
    """The flags dagster-dbt gives its subprocess as environment variables (DBT_PROJECT_DIR, ...): in
    this process they must be flags. dbt's log goes to dbt.log in the target path (as before); nothing
    goes to this process's standard output (the run prints one summary), and no usage statistics leave
    the machine (dagster-dbt's subprocess had DBT_SEND_ANONYMOUS_USAGE_STATS=false)."""
    return ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
            "--target-path", str(target_path), "--log-path", str(target_path), "--log-level", "none",
            "--log-level-file", "debug", "--no-send-anonymous-usage-stats"]


def parsed_manifest(warehouse: Path):
    """dbt's parse of the project (a `Manifest`) for a warehouse file, made once per process and again
    when a dbt source file changes.

    The parse depends on the warehouse only through its file name: dbt-duckdb names the database after
    it, and every relation in the parse carries that name. Nothing else of the run counts (vars appear
    only in SQL, which dbt renders at each build). So the parse is made for a warehouse of that name in
    the project's own target folder (never opened: a parse does not connect), where dbt can reuse its
    partial parse (`partial_parse.msgpack`, valid while the vars and the profile are the same) in every
    process of this checkout, whichever directory the run's warehouse is in: about 1 s instead of a full
    parse's 3-5 s of CPU."""
    from pipelines.dbt_settings import newest_source_mtime

    return _parse(newest_source_mtime(), Path(warehouse).name)


@lru_cache(maxsize=2)
def _parse(_sources_mtime: float, warehouse_name: str):
    from dbt.cli.main import dbtRunner

    from pipelines.dbt_settings import MANIFEST_PATH, parse_lock

    parse_vars = json.dumps({"warehouse": str(MANIFEST_PATH.parent / warehouse_name)})
    with parse_lock():
        result = dbtRunner().invoke(["parse", "--no-write-json", "--vars", parse_vars,
                                     *project_flags(MANIFEST_PATH.parent)])
    if not result.success:
        raise RuntimeError(f"dbt parse failed: {result.exception}")
    return result.result


def close_warehouse() -> None:
    """dbt-duckdb keeps its DuckDB database open in the process after a build (a class-level
    environment, closed only at exit); the job's next steps open the warehouse with their own settings."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        env, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
        if env is not None:
            env.close()


class _Lines:
    """The build's JSON log lines, as a pipe's reading end: iterable (until the build ends), a
    context manager, `closed` afterwards."""

    def __init__(self) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self.closed = False

    def put(self, line: bytes | None) -> None:
        self._queue.put(line)

    def __iter__(self) -> Iterator[bytes]:
        while not self.closed and (line := self._queue.get()) is not None:
            yield line

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc) -> None:
        self.closed = True


class DbtInProcess:
    """A dbt command run by `dbtRunner` in a thread of this process, read like a subprocess."""

    def __init__(self, args: Sequence[str], manifest) -> None:
        self.args = ["dbt", *args]  # dagster-dbt logs them as the command
        self.stdout = _Lines()
        self.returncode: int | None = None
        self._thread = threading.Thread(target=self._invoke, args=(list(args), manifest.deepcopy()),
                                        name="dbt", daemon=True)
        self._thread.start()

    def _on_event(self, event) -> None:
        # What `dbt --log-format json` prints on stdout at its default level: info and above.
        if event.info.level != "debug":
            from dbt_common.events.functions import msg_to_dict

            self.stdout.put(json.dumps(msg_to_dict(event)).encode())

    def _invoke(self, args: list[str], manifest) -> None:
        from dbt.cli.main import dbtRunner

        code = 2
        try:
            result = dbtRunner(manifest=manifest, callbacks=[self._on_event]).invoke(args)
            # dbt's exit codes: 0 success, 1 a node failed, 2 dbt itself failed
            code = 0 if result.success else (2 if result.exception is not None else 1)
            if result.exception is not None:
                self._on_error(f"dbt failed: {result.exception}")
        except BaseException as exc:  # reported through the log, as a crashed subprocess would be
            self._on_error(f"dbt failed: {exc!r}")
        finally:
            try:
                close_warehouse()
            finally:
                self.returncode = code
                self.stdout.put(None)

    def _on_error(self, message: str) -> None:
        self.stdout.put(json.dumps({"info": {"name": "MainEncounteredError", "level": "error", "msg": message},
                                    "data": {}}).encode())

    def wait(self, timeout: float | None = None) -> int | None:
        self._thread.join(timeout)
        return self.returncode

    def poll(self) -> int | None:
        return self.returncode

    def send_signal(self, sig) -> None:
        # dagster-dbt forwards an interrupt to its subprocess; a thread cannot be stopped, so the
        # interrupt ends the run when the build returns (the run's process is what one kills).
        logger.warning("dbt runs in this process: the interrupt takes effect when the build ends")
