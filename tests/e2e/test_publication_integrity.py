"""Issue 17, parts 5, 7 and 9 end to end: publishing is one transaction, a damaged publication is
noticed and repaired, every input is accounted for, and the command line gives a scheduler the
right exit code and one line naming the cause."""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import write_wide
from tests.e2e.test_nightly_job import copy_of, mart_line, run, summary_header, tree_digest


@pytest.fixture
def first_run(small_run) -> Path:
    """One good run on the small data (tests/e2e/conftest.py, shared: read only, copy to change)."""
    return small_run


def catalog(work: Path) -> dict:
    return json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]


def latest_report(work: Path) -> dict:
    reports = [json.loads(p.read_text(encoding="utf-8")) for p in (work / "state" / "reports").glob("*/run_report.json")]
    return max(reports, key=lambda r: r["started"])


def add_2005_delivery(work: Path) -> None:
    """A new eerstejaars delivery with a new year: sector_growth, gender_shares … get new versions."""
    write_wide(work / "raw" / "duo" / "ho_eerstejaars" / "2005-03-15_eerstejaars_ho.csv", [2003, 2004], {
        ("hbo", "50001"): [("130", "13"), ("140", "14")],
        ("hbo", "50002"): [("20", "2"), ("22", "2")],
        ("wo", "50001"): [("1300", "260"), ("1400", "280")],
    })


@pytest.fixture(scope="module")
def repaired_run(small_run, tmp_path_factory) -> dict:
    """A copy of the small run with three independent changes, run once (read only): sector_growth's
    current data.csv edited by hand, gender_shares' current version folder deleted, and a new delivery
    in a misspelled dataset folder beside a stray file (no input the run uses changed). Keys: work, code,
    out, and what each test needs from before the run."""
    work = copy_of(small_run, tmp_path_factory.mktemp("repaired"))
    # a hand-edited data.csv
    edited = catalog(work)["sector_growth"]
    data_csv = work / "published" / edited["csv"]
    original = data_csv.read_bytes()
    data_csv.write_bytes(original.replace(b"1560", b"1999", 1))
    # a deleted current version
    deleted = catalog(work)["gender_shares"]
    folder = work / "published" / "gender_shares" / deleted["version"]
    folder_before = tree_digest(folder)
    metadata_before = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    for f in folder.iterdir():
        f.unlink()
    folder.rmdir()
    # a misspelled dataset folder and a stray file
    add_2005_delivery(work)
    wrong = work / "raw" / "duo" / "ho_eerstejaar"
    wrong.mkdir()
    (work / "raw" / "duo" / "ho_eerstejaars" / "2005-03-15_eerstejaars_ho.csv").rename(wrong / "2005-03-15_x.csv")
    (work / "raw" / "notes.txt").write_text("hello", encoding="utf-8")

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(work / "raw", work)
    return {"work": work, "code": code, "out": out.getvalue(), "edited": edited, "original": original,
            "deleted": deleted, "folder_before": folder_before, "metadata_before": metadata_before}


def test_a_hand_edited_data_csv_is_noticed_moved_aside_and_republished(repaired_run):
    work, out, entry = repaired_run["work"], repaired_run["out"], repaired_run["edited"]
    data_csv = work / "published" / entry["csv"]
    assert repaired_run["code"] == 0, out[-3000:]  # not "nothing changed": the published files are checked
    assert "nothing changed" not in out
    assert "damaged publication repaired: sector_growth/" in out and "does not match the sha256" in out
    assert data_csv.read_bytes() == repaired_run["original"]  # the figures are the pipeline's again
    assert catalog(work)["sector_growth"]["version"] == entry["version"]
    [aside] = (work / "published" / "sector_growth").glob(f".damaged-{entry['version']}-*")
    assert b"1999" in (aside / "data.csv").read_bytes()  # kept for whoever investigates
    assert [r for r in latest_report(work)["reasons"] if r["kind"] == "repaired"]


def test_a_deleted_current_version_is_written_again(repaired_run):
    work, out, entry = repaired_run["work"], repaired_run["out"], repaired_run["deleted"]
    folder = work / "published" / "gender_shares" / entry["version"]
    before, metadata_before = repaired_run["folder_before"], repaired_run["metadata_before"]
    assert repaired_run["code"] == 0, out[-3000:]
    assert "nothing changed" not in out
    assert mart_line(out, "gender_shares").startswith(f"  gender_shares: published new {entry['version']}")
    # The same data (versions are a pure function of the inputs); metadata.json names the run that wrote it.
    assert {k: v for k, v in tree_digest(folder).items() if k != "metadata.json"} == \
        {k: v for k, v in before.items() if k != "metadata.json"}
    metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["run"] != metadata_before["run"]
    assert {k: v for k, v in metadata.items() if k != "run"} == {k: v for k, v in metadata_before.items() if k != "run"}
    for key in ("csv", "parquet", "metadata", "validation"):
        assert (work / "published" / catalog(work)["gender_shares"][key]).is_file()


def test_disk_full_while_moving_the_catalog_moves_nothing_and_says_so(first_run, tmp_path, capsys, monkeypatch):
    work = copy_of(first_run, tmp_path)
    add_2005_delivery(work)
    catalog_before = (work / "published" / "catalog.json").read_bytes()
    real_replace = os.replace

    def full_disk(src, dst, *args, **kwargs):
        if str(dst).endswith("catalog.json"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(src))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr("pipelines.publishing.publisher.os.replace", full_disk)
    assert run(work / "raw", work) == 1
    out = capsys.readouterr().out
    assert (work / "published" / "catalog.json").read_bytes() == catalog_before
    assert "published new: 0; unchanged: 0" in summary_header(out)
    assert "written, not made current" in mart_line(out, "sector_growth")
    assert "No space left on device" in mart_line(out, "sector_growth")
    report = latest_report(work)
    assert report["exit_code"] == 1
    assert not [m for m, p in report["published"].items() if "version" in p]  # no mart is reported published
    assert {k["mart"] for k in report["kept_back"]} >= {"sector_growth", "gender_shares"}
    monkeypatch.undo()
    assert run(work / "raw", work) == 0  # the remedy: free space, run again
    assert catalog(work)["sector_growth"]["version"] != json.loads(catalog_before)["marts"]["sector_growth"]["version"]


def test_a_failed_version_write_keeps_that_mart_and_moves_the_others_once(first_run, tmp_path, capsys, monkeypatch):
    work = copy_of(first_run, tmp_path)
    add_2005_delivery(work)
    before = catalog(work)
    from pipelines.publishing import publisher

    real = publisher._write_json

    def full_disk_for_gender_shares(path: Path, payload: dict) -> None:
        if "gender_shares" in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, payload)

    monkeypatch.setattr(publisher, "_write_json", full_disk_for_gender_shares)
    assert run(work / "raw", work) == 1
    out = capsys.readouterr().out
    after = catalog(work)
    assert after["gender_shares"] == before["gender_shares"]
    assert after["sector_growth"]["version"] != before["sector_growth"]["version"]
    line = mart_line(out, "gender_shares")
    assert line.startswith("  gender_shares: failed: cannot publish gender_shares") and "No space left" in line
    assert "Traceback" not in line and "PublishError" not in line
    assert mart_line(out, "sector_growth").startswith("  sector_growth: published new")
    assert not list((work / "published" / "gender_shares").glob(".tmp-*"))
    report = latest_report(work)
    assert report["marts"]["gender_shares"]["status"] == "failed"
    assert report["published"]["sector_growth"]["made_current"] is True


def test_a_misspelled_dataset_folder_is_in_the_summary_and_the_report(repaired_run):
    work, out = repaired_run["work"], repaired_run["out"]
    assert repaired_run["code"] == 0, out[-3000:]
    assert "ignored input: raw/duo/ho_eerstejaar: unknown dataset folder, ignored" in out
    assert "ignored input: raw/notes.txt: unknown folder or file, ignored" in out
    report = latest_report(work)
    assert "duo/ho_eerstejaar: unknown dataset folder, ignored" in report["deliveries"]["ignored"]
    assert [r for r in report["reasons"] if r["kind"] == "ignored"]


# --- the command line: exit codes and pre-flight checks (no job runs) ------------------------------

def test_a_missing_raw_dir_is_one_line_before_anything_runs(tmp_path, capsys):
    assert run(tmp_path / "nope", tmp_path) == 1
    captured = capsys.readouterr()
    assert captured.out.strip() == (f"betamonitor run: not started: the raw directory {tmp_path / 'nope'} "
                                     "does not exist (--raw-dir)")
    assert "Traceback" not in captured.err and not (tmp_path / "state").exists()


def test_an_unwritable_publish_dir_is_one_line(first_run, tmp_path, capsys):
    (tmp_path / "published").write_text("a file where the publish dir should be", encoding="utf-8")
    assert run(first_run / "raw", tmp_path) == 1
    out = capsys.readouterr().out.strip()
    assert out.startswith("betamonitor run: not started: the publish directory") and "not a directory" in out


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_corrupt_warehouse_is_named_corrupt_not_locked(first_run, tmp_path, capsys, damage):
    work = copy_of(first_run, tmp_path)
    warehouse = work / "state" / "warehouse.duckdb"
    data = warehouse.read_bytes()
    warehouse.write_bytes(b"not a database" * 100 if damage == "garbage" else data[: len(data) // 3])
    assert run(work / "raw", work, "--lock-timeout", "1") == 1
    out = capsys.readouterr().out
    assert "is corrupt" in out and "move it aside" in out
    assert "held by another process" not in out


@pytest.mark.parametrize("argv", [
    ["run", "--baseline-year", "abc"],
    ["run", "--raw-dirr", "raw"],
    ["run", "--as-of", "2020-13-01"],
    ["run", "--lock-timeout", "soon"],
    ["frobnicate"],
    [],
])
def test_usage_errors_exit_64_not_the_gate_code(argv, capsys):
    assert main(argv) == 64
    assert "betamonitor" in capsys.readouterr().err


def test_version(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("betamonitor 0.")


def test_trace_to_an_unwritable_out_is_one_line(first_run, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["trace", "sector_growth", "--where", "sector=wo,measure=instroom,year=2003",
                 "--publish-dir", str(first_run / "published"), "--raw-dir", str(first_run / "raw"),
                 "--warehouse", str(first_run / "state" / "warehouse.duckdb"), "--out", str(blocker / "sub")])
    out = capsys.readouterr().out
    assert code == 1
    assert out.strip().splitlines()[-1].startswith(f"betamonitor trace: cannot write to {blocker / 'sub'}")
    assert "Traceback" not in out
