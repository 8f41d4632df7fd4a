"""Test hook: stop a run at a named point so a test can `kill -9` it there deterministically.

With `BETAMONITOR_TEST_PAUSE_AT=<point>` set, the first time a run reaches `pause_point(<point>)` it
writes the file named by `BETAMONITOR_TEST_PAUSE_MARKER` (pid and point) and sleeps for an hour.
Unset (always, outside tests) it does nothing. Points: `ingest` (a delivery's rows inserted, its
transaction not committed), `dbt` (dbt build running), `gate_publish` (a mart's gate passed, its
publish step not started), `publish_staged` (a version's files written to the hidden temporary
folder, not renamed), `publish_renamed` (version folder in place, catalog not yet pointed at it).
"""

from __future__ import annotations

import os
import time

PAUSE_ENV = "BETAMONITOR_TEST_PAUSE_AT"
MARKER_ENV = "BETAMONITOR_TEST_PAUSE_MARKER"


def pause_point(point: str) -> None:
    if os.environ.get(PAUSE_ENV) != point:
        return
    marker = os.environ.get(MARKER_ENV)
    if marker:
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {point}\n")
    time.sleep(3600)
