"""Unattended runs: recorded in the persistent Dagster instance, one at a time, a run report each,
and no rebuild when nothing changed (the real job on small data in temp dirs)."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.report import load_reports
from tests.conftest import write_small_raw, write_wide
from tests.e2e.test_nightly_job import mart_line, run, summary_header, tree_digest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def first_run(small_run) -> Path:
    """One good run on the small data (tests/e2e/conftest.py, shared: read only, copy to change)."""
    return small_run


def reports(work: Path) -> list[dict]:
    return load_reports(work / "state")


def test_run_is_recorded_in_the_persistent_instance(first_run):
    import dagster as dg

    home = first_run / "state" / "dagster_home"
    assert (home / "dagster.yaml").is_file()
    report = reports(first_run)[-1]  # the first run
    instance = dg.DagsterInstance.from_config(str(home))
    try:
        records = instance.get_run_records(dg.RunsFilter(job_name="betamonitor_nightly"))
        assert [r.dagster_run.run_id for r in records] == [report["run_id"]]
        assert records[0].dagster_run.status == dg.DagsterRunStatus.SUCCESS
        assert records[0].dagster_run.tags["betamonitor/status"] == "success"
        published = instance.get_latest_materialization_event(dg.AssetKey(["published", "sector_growth"]))
        assert published.run_id == report["run_id"]
        assert published.asset_materialization.metadata["version"].value == report["published"]["sector_growth"]["version"]
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [dg.AssetCheckKey(dg.AssetKey(["marts", "sector_growth"]), "gx_quality_gate")])
        assert check[dg.AssetCheckKey(dg.AssetKey(["marts", "sector_growth"]), "gx_quality_gate")].run_id == report["run_id"]
        run_report = instance.get_latest_materialization_event(dg.AssetKey(["reports", "run_report"]))
        assert run_report.asset_materialization.metadata["run_id"].value == report["run_id"]
    finally:
        instance.dispose()


def test_run_report_says_what_the_run_saw_and_did(first_run, capsys):
    report = reports(first_run)[-1]
    assert report["status"] == "success" and report["exit_code"] == 0
    assert report["deliveries"]["seen"] == 3 and len(report["deliveries"]["new"]) == 3
    assert report["deliveries"]["skipped_as_known"] == 0 and report["deliveries"]["rejected"] == []
    assert report["gates"]["sector_growth"]["passed"] is True
    assert report["published"]["sector_growth"]["status"] == "published new"
    kept = {k["mart"]: k["reason"] for k in report["kept_back"]}
    assert set(kept) == {"audit_outcomes", "audit_judgements"} and "no input data" in kept["audit_outcomes"]
    # The printed summary is in the report, one line per mart, and names the report on its last line.
    summary = report["summary"].splitlines()
    assert summary[0] == f"betamonitor run {report['run_id'][:8]}: published new: 6; unchanged: 0; blocked: 0; " \
                         "not published: 2"
    assert f"  sector_growth: published new {report['published']['sector_growth']['version']}" in summary
    assert summary[-1].startswith(f"report: {first_run / 'state' / 'reports' / report['run_id'] / 'run_report.json'}")
    assert report["marts"]["sector_growth"] == {"status": "published new",
                                                "version": report["published"]["sector_growth"]["version"]}
    assert report["reasons"] == []
    assert {c["dataset"] for c in report["warehouse"]["cells_by_dataset"]} == {"ho_eerstejaars", "ho_gediplomeerden"}
    assert main(["report", report["run_id"][:8], "--warehouse", str(first_run / "state" / "warehouse.duckdb")]) == 0
    out = capsys.readouterr().out
    assert f"run {report['run_id']}  success (exit 0)" in out
    assert "Deliveries: 3 seen, 3 new, 0 skipped as known, 0 rejected" in out
    assert "sector_growth: published new" in out and "audit_outcomes: empty mart" in out


class RerunInPlace:
    """`small_run` copied to a directory of this module and run there once: the copy has other paths, so
    the options differ and that run is a full one (it succeeds, publishing nothing new). `fresh()` puts
    the directory back as that run left it, at the same path (the no-change fingerprint includes the
    paths; copytree keeps the warehouse's size and mtime), so each test starts from it without a run."""

    def __init__(self, small_run: Path, root: Path) -> None:
        self.work, self.pristine = root / "work", root / "pristine"
        shutil.copytree(small_run, self.work)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.code = run(self.work / "raw", self.work)
        self.out = out.getvalue()
        shutil.copytree(self.work, self.pristine)

    def fresh(self) -> Path:
        shutil.rmtree(self.work)
        shutil.copytree(self.pristine, self.work)
        return self.work


@pytest.fixture(scope="module")
def rerun_in_place(small_run, tmp_path_factory) -> RerunInPlace:
    return RerunInPlace(small_run, tmp_path_factory.mktemp("rerun_in_place"))


def test_nothing_changed_ends_without_the_job(rerun_in_place, monkeypatch, capsys):
    work = rerun_in_place.fresh()
    # The copy has other paths: the options differ, so its first run is a full one (and succeeds).
    assert rerun_in_place.code == 0, rerun_in_place.out[-3000:]
    out = rerun_in_place.out
    assert "published new: 0; unchanged: 6; blocked: 0" in summary_header(out)
    assert mart_line(out, "gender_shares").startswith("  gender_shares: unchanged 2")
    before = tree_digest(work / "published")

    def no_job(*args, **kwargs):
        raise AssertionError("the job ran although nothing changed")

    monkeypatch.setattr("orchestration.job_run.run_job", no_job)
    assert run(work / "raw", work) == 0
    out = capsys.readouterr().out
    assert "nothing changed since run" in out and "no rebuild" in out
    assert len(out.strip().splitlines()) == 1  # the no-change summary stays one line
    assert tree_digest(work / "published") == before
    latest = reports(work)[0]
    assert latest["status"] == "unchanged" and latest["changed_since_last_success"] == []
    assert main(["runs", "--warehouse", str(work / "state" / "warehouse.duckdb")]) == 0
    listing = capsys.readouterr().out
    assert listing.index(latest["run_id"]) < listing.index(reports(work)[1]["run_id"])  # newest first
    # --force runs the job anyway (here: the patched one, which proves it is called).
    assert run(work / "raw", work, "--force") == 1
    assert "the job ran although nothing changed" in capsys.readouterr().out


def test_new_delivery_publishes_only_the_marts_it_changes(rerun_in_place, capsys):
    work = rerun_in_place.fresh()  # the copy's full first run made (rerun_in_place)
    assert rerun_in_place.code == 0, rerun_in_place.out[-3000:]
    # A restatement of 2003 (no new year): the graduate figures change, the participation counts do not.
    write_wide(work / "raw" / "duo" / "ho_gediplomeerden" / "2005-03-15_gediplomeerden_ho.csv", [2003], {
        ("hbo", "50001"): [("90", "9")],
        ("wo", "50001"): [("340", "120")],
    })
    assert run(work / "raw", work) == 0
    out = capsys.readouterr().out
    assert "published new: 5; unchanged: 1; blocked: 0" in summary_header(out)
    assert mart_line(out, "sector_growth").startswith("  sector_growth: published new 2005-03-15_")
    assert mart_line(out, "participation_counts").startswith("  participation_counts: unchanged ")
    report = reports(work)[0]
    assert report["changed_since_last_success"] == ["raw"]
    assert report["deliveries"]["new"] == ["duo/ho_gediplomeerden/2005-03-15_gediplomeerden_ho.csv"]
    assert report["deliveries"]["skipped_as_known"] == 3
    assert report["published"]["sector_growth"]["status"] == "published new"
    assert report["published"]["participation_counts"]["status"] == "unchanged"


def test_second_run_waits_for_the_lock_then_exits_1(tmp_path, capsys):
    warehouse = tmp_path / "state" / "warehouse.duckdb"
    hold = ("import sys, time\nfrom pipelines.runs.lock import warehouse_lock\n"
            "with warehouse_lock(sys.argv[1], 5):\n    print('held', flush=True)\n    time.sleep(600)\n")
    holder = subprocess.Popen([sys.executable, "-c", hold, str(warehouse)], stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout.readline().strip() == "held"
        write_small_raw(tmp_path / "raw")
        assert run(tmp_path / "raw", tmp_path, "--lock-timeout", "1") == 1
        out = capsys.readouterr().out
        assert f"another run (pid {holder.pid}, started " in out and "holds the warehouse" in out
        assert "gave up after 1 s" in out
        assert not warehouse.exists() and not (tmp_path / "published").exists()  # nothing touched
        assert reports(tmp_path)[0]["status"] == "busy"
    finally:
        holder.kill()
        holder.wait()


def test_run_started_by_the_daemon_gets_its_report_from_the_event_log(first_run, tmp_path):
    """The run status sensor writes the report of runs `betamonitor run` did not start."""
    import dagster as dg

    from assets.resources import BetamonitorSettings
    from orchestration.definitions import run_report_after_success

    work = tmp_path / "work"
    shutil.copytree(first_run, work)
    cli_report = reports(work)[-1]
    shutil.rmtree(work / "state" / "reports")
    # As if the daemon had run the job: its versions are written, the catalog not yet moved.
    catalog_of_the_cli_run = (work / "published" / "catalog.json").read_bytes()
    (work / "published" / "catalog.json").unlink()
    instance = dg.DagsterInstance.from_config(str(work / "state" / "dagster_home"))
    try:
        run_record = instance.get_run_by_id(cli_report["run_id"])
        as_daemon_run = run_record.with_tags({k: v for k, v in run_record.tags.items()
                                              if k != "betamonitor/launched_by"})
        success = next(r.dagster_event for r in instance.all_logs(run_record.run_id)
                       if r.is_dagster_event and r.dagster_event.event_type == dg.DagsterEventType.RUN_SUCCESS)
        settings = BetamonitorSettings(raw_dir=str(work / "raw"), publish_dir=str(work / "published"),
                                       warehouse=str(work / "state" / "warehouse.duckdb"))
        # A run of `betamonitor run` is left alone: it writes its own report.
        context = dg.build_run_status_sensor_context(sensor_name="run_report_after_success", dagster_event=success,
                                                     dagster_instance=instance, dagster_run=run_record,
                                                     resources={"settings": settings})
        run_report_after_success(context)
        assert reports(work) == []
        context = dg.build_run_status_sensor_context(sensor_name="run_report_after_success", dagster_event=success,
                                                     dagster_instance=instance, dagster_run=as_daemon_run,
                                                     resources={"settings": settings})
        run_report_after_success(context)
    finally:
        instance.dispose()
    [report] = reports(work)
    assert report["run_id"] == cli_report["run_id"] and report["launched_by"] == "dagster"
    assert report["status"] == "success" and report["exit_code"] == 0
    assert report["published"] == cli_report["published"] and report["deliveries"] == cli_report["deliveries"]
    assert report["gates"] == cli_report["gates"]
    # The sensor closed the run as `betamonitor run` does: one catalog move, to the same catalog.
    assert (work / "published" / "catalog.json").read_bytes() == catalog_of_the_cli_run
    assert report["marts"] == cli_report["marts"] and report["exit_code"] == cli_report["exit_code"]
