"""One run at a time: an exclusive lock on the warehouse, taken before a run touches anything.

The lock is `flock` on `<warehouse>.lock` beside the warehouse. The kernel drops it when the
holding process ends, however it ends (`kill -9` included), so a lock is never left stale. The
file's content (pid, start time) is informational: it names the holder in the message a waiting
run prints. Re-entrant within one process: `betamonitor run` takes it before the job starts and
the job's own lock resource (for runs started by the Dagster daemon) then finds it already held.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_LOCK_TIMEOUT = 300.0  # seconds a second run waits before it gives up (exit 1)
LOCK_TIMEOUT_ENV = "BETAMONITOR_LOCK_TIMEOUT"
_POLL_SECONDS = 0.2

_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth), for this process
_guard = threading.Lock()


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse and did not let go within the timeout."""


def lock_path(warehouse: Path | str) -> Path:
    warehouse = Path(warehouse).resolve()
    return warehouse.with_name(warehouse.name + ".lock")


def lock_timeout_from_env(default: float = DEFAULT_LOCK_TIMEOUT, environ=None) -> float:
    value = (os.environ if environ is None else environ).get(LOCK_TIMEOUT_ENV, "").strip()
    if not value:
        return default
    try:
        timeout = float(value)
    except ValueError:
        raise ValueError(f"{LOCK_TIMEOUT_ENV} must be a number of seconds, got {value!r}") from None
    if timeout < 0:
        raise ValueError(f"{LOCK_TIMEOUT_ENV} must not be negative, got {value!r}")
    return timeout


def holder(warehouse: Path | str) -> dict:
    """What the lock file says about its (last) holder: pid, started, run_id; {} when unknown."""
    try:
        return json.loads(lock_path(warehouse).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}


def busy_message(info: dict) -> str:
    return (f"another run (pid {info.get('pid', '?')}, started {info.get('started', '?')}) "
            "holds the warehouse")


@contextmanager
def warehouse_lock(warehouse: Path | str, timeout: float = DEFAULT_LOCK_TIMEOUT, run_id: str = ""):
    """Hold the warehouse for the duration of the block; wait up to `timeout` s, else WarehouseBusy."""
    path = lock_path(warehouse)
    key = str(path)
    with _guard:
        if key in _held:
            fd, depth = _held[key]
            _held[key] = (fd, depth + 1)
            reentrant = True
        else:
            reentrant = False
    if reentrant:
        try:
            yield path
        finally:
            with _guard:
                fd, depth = _held[key]
                _held[key] = (fd, depth - 1)
        return

    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(busy_message(holder(warehouse))) from None
                time.sleep(_POLL_SECONDS)
        info = {"pid": os.getpid(), "run_id": run_id,
                "started": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    with _guard:
        _held[key] = (fd, 1)
    try:
        yield path
    finally:
        with _guard:
            _held.pop(key, None)
        os.close(fd)  # closing the only descriptor releases the flock
