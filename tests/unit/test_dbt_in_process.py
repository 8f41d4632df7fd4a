"""assets/dbt_in_process.py: dbt run by dbtRunner in this process, read by dagster-dbt like its subprocess.

The whole build is exercised by every end-to-end run of the job; here: what dagster-dbt reads of the
"process" when dbt fails, and the library internals it relies on (an upgrade that moves them must
fail here, not at night)."""

from __future__ import annotations

import dataclasses
import json

from assets.dbt_in_process import DbtInProcess, project_flags


class _NoManifest:
    def deepcopy(self):
        return None


def test_a_failing_dbt_command_reads_like_a_failed_subprocess(tmp_path):
    process = DbtInProcess(["build", "--no-such-flag", *project_flags(tmp_path)], _NoManifest())
    assert process.args[:3] == ["dbt", "build", "--no-such-flag"]
    with process.stdout as lines:
        events = [json.loads(line) for line in lines]
    assert process.stdout.closed and list(process.stdout) == []  # read once, as a pipe
    assert process.wait(timeout=60) == 2 and process.poll() == 2
    errors = [e["info"]["msg"] for e in events if e["info"]["level"] == "error"]
    assert errors and "no-such-flag" in errors[-1]
    assert all(e["info"]["level"] != "debug" for e in events)


def test_the_library_internals_it_relies_on_are_there():
    from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    fields = {f.name for f in dataclasses.fields(DbtCliInvocation)}
    assert {"process", "manifest", "dagster_dbt_translator", "project_dir", "target_path", "raise_on_error",
            "context", "adapter", "cli_version", "project"} <= fields
    assert hasattr(DuckDBConnectionManager, "_ENV") and hasattr(DuckDBConnectionManager, "_LOCK")
