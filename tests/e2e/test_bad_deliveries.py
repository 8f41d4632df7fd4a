"""Issue #10, replayed on the shipped sample through the real job: a bad delivery never publishes a
changed figure (exit 1 or 2 naming file and reason), and after the documented remedy (accept,
withdraw, a corrected file) the next run publishes correctly.

One cold run of the sample per test session (`sample_run`, tests/e2e/conftest.py); every case
copies its directory (raw/, published/, state/).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from orchestration.outcome import RunOutcome
from orchestration.report import load_reports
from tests.conftest import figure, read_published
from tests.e2e.test_nightly_job import mart_line, summary_header

HO = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
VO = "duo/vo_profielkeuze/2008-03-17_profielkeuze_vo.csv"
NEW_HO = "duo/ho_eerstejaars/2009-03-20_eerstejaars_ho.csv"
DUO_MARTS = ("sector_growth", "program_growth", "gender_shares", "institution_growth", "regional_growth")


def run(work: Path, *extra: str) -> int:
    return main(["run", "--raw-dir", str(work / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb"), *extra])


def decide(work: Path, verb: str, delivery: str, reason: str) -> int:
    return main([verb, delivery, "--reason", reason, "--by", "test engineer", "--raw-dir", str(work / "raw"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb")])


def versions(work: Path) -> dict[str, str]:
    return {m: e["version"] for m, e in
            json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"].items()}


def data_files(work: Path) -> dict[str, str]:
    """Every published data file (all versions) with its sha256."""
    return {str(p.relative_to(work / "published")): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((work / "published").rglob("data.*"))}


@pytest.fixture
def work(sample_run, tmp_path) -> Path:
    """A copy of the session's cold run of the sample (`sample_run`, tests/e2e/conftest.py: read only)."""
    target = tmp_path / "work"
    shutil.copytree(sample_run, target, symlinks=True)
    return target


def assert_nothing_changed(work: Path, before_versions: dict, before_files: dict) -> None:
    assert versions(work) == before_versions
    assert data_files(work) == before_files  # no new version written, none rewritten


# --- case 1: a delivery cut short at a line boundary wins ------------------------------------------
def test_truncated_delivery_is_blocked_by_the_revision_check_until_accepted(work, capsys):
    before_v, before_f = versions(work), data_files(work)
    lines = (work / "raw" / HO).read_bytes().split(b"\n")
    (work / "raw" / NEW_HO).write_bytes(b"\n".join(lines[:284]) + b"\n")

    assert run(work) == 2
    out = capsys.readouterr().out
    # The revision is one reason, given once; every mart built on DUO cells is blocked by it.
    [revision] = [line for line in out.splitlines() if "revision check:" in line]
    assert revision.startswith("  [1] revision check: duo/ho_eerstejaars/2009-03-20_eerstejaars_ho.csv restates "
                               "2003-2007 of duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv beyond the thresholds")
    assert "rows missing" in revision  # the biggest difference: in the run report (below), cut here if long
    assert revision.endswith("; accept or withdraw it")
    assert "revisions.csv" in out.splitlines()[-1]  # the last line names the report and the files beside it
    assert "blocked: 5" in summary_header(out)
    # not built on DUO cells: unaffected
    assert mart_line(out, "participation_counts").startswith("  participation_counts: unchanged ")
    for mart in DUO_MARTS:
        assert mart_line(out, mart).startswith(f"  {mart}: blocked by ") and mart_line(out, mart).endswith(" [1]")
    # audit_judgements is built on institution_growth: held back, not published from the bad delivery.
    assert mart_line(out, "audit_judgements").startswith(
        "  audit_judgements: held back (built on institution_growth")
    # The run report keeps the whole revision text (the summary may cut it), numbered as printed.
    run_report = load_reports(work / "state")[0]  # this run's (newest first)
    assert out.splitlines()[-1].startswith(f"report: {work / 'state' / 'reports' / run_report['run_id']}/")
    [reason] = run_report["reasons"]
    assert reason["kind"] == "revision" and sorted(reason["marts"]) == sorted(DUO_MARTS)
    assert reason["text"].startswith(revision.removeprefix("  [1] ").split(" …")[0])
    assert "; biggest difference " in reason["text"] and reason["text"].endswith("; accept or withdraw it")
    assert reason["report"].endswith("revisions.csv")
    assert_nothing_changed(work, before_v, before_f)
    report = list(csv.DictReader(next((work / "state" / "reports").rglob("revisions.csv")).open(encoding="utf-8")))
    assert [r["year"] for r in report] == ["2003", "2004", "2005", "2006", "2007"]
    assert all(r["delivery_file"] == NEW_HO and r["earlier_delivery_file"] == HO for r in report)
    assert all(float(r["total_change"]) < -0.05 and int(r["missing_rows"]) > 0 for r in report)
    assert all(" -> " in r["biggest_differences"] for r in report)

    # Remedy: an engineer accepts the restatement (who, when, why), and the next run publishes it.
    assert decide(work, "accept", NEW_HO, "test: DUO really restated these years") == 0
    assert run(work) == 0
    entry, rows = read_published(work / "published")
    assert entry["version"] != before_v["sector_growth"]
    assert figure(rows, "ho", "instroom", 2007)["source_delivery"] == "2009-03-20"
    meta = json.loads((work / "published" / entry["metadata"]).read_text(encoding="utf-8"))
    [used] = [i for i in meta["inputs"] if i["path"] == NEW_HO]
    assert used["revision_accepted"]["reason"] == "test: DUO really restated these years"
    assert used["revision_accepted"]["decided_by"] == "test engineer" and used["revision_accepted"]["decided_at"]
    check = meta["quality_gate"]["revision_check"]
    assert check["passed"] is True
    # the figures the acceptance released (beyond the figure revision thresholds, issue 17) stay on record
    assert any(a["figure"].startswith("sector_growth ") and a["accepted"] == {NEW_HO: "test engineer"}
               for a in check["accepted_figures"])


# --- case 3: huge counts, then withdrawing the delivery -------------------------------------------
def test_huge_counts_are_quarantined_and_a_withdrawn_delivery_is_rebuilt_without(work, capsys):
    before_v, before_f = versions(work), data_files(work)
    text = (work / "raw" / HO).read_bytes().decode("cp1252").split("\r\n")
    fields = text[1].split(";")
    fields[-1], fields[-2], fields[-3] = "99999999999999999999", "9223372036854775807", '=HYPERLINK("http://x","y")'
    text[1] = ";".join(fields)
    (work / "raw" / NEW_HO).write_bytes("\r\n".join(text).encode("cp1252"))

    assert run(work) == 2
    out = capsys.readouterr().out
    assert "_quarantined_cells" in mart_line(out, "sector_growth") and "failed" not in summary_header(out)
    assert_nothing_changed(work, before_v, before_f)
    report = next((work / "state" / "reports").rglob("quarantine_ho_eerstejaars.csv"))
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert {(r["line_number"], r["column_header"], r["raw_value"]) for r in rows} == {
        ("2", "2007 VROUW", "99999999999999999999"), ("2", "2007 MAN", "9223372036854775807"),
        ("2", "2006 VROUW", '\'=HYPERLINK("http://x","y")')}
    assert all(r["delivery_file"] == NEW_HO for r in rows)

    # Remedy: withdraw it. It stays in the warehouse, marked; the next run publishes the old figures.
    assert decide(work, "withdraw", "2009-03-20_eerstejaars_ho.csv", "test: corrupt counts") == 0
    assert run(work) == 0
    assert versions(work) == before_v
    with duckdb.connect(str(work / "state" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from landing.ho_eerstejaars where delivery_file = ?",
                           [NEW_HO]).fetchall()[0][0] > 0
        # loaded from raw/decisions.csv, where `betamonitor withdraw` appended it
        assert con.execute("select decision, reason from landing.delivery_decisions").fetchall() == \
            [("withdrawn", "test: corrupt counts")]
    assert (work / "raw" / "decisions.csv").read_text(encoding="utf-8").splitlines()[1].split(",")[2:4] == \
        ["withdrawn", NEW_HO]
    capsys.readouterr()
    assert main(["trace", "sector_growth", "--where", "sector=wo,measure=instroom,year=2007",
                 "--raw-dir", str(work / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb")]) == 0
    trace = capsys.readouterr().out
    assert "Withdrawn deliveries" in trace and "2009-03-20_eerstejaars_ho.csv: withdrawn by test engineer" in trace


# --- case 4: formula injection --------------------------------------------------------------------
def test_formula_like_names_are_escaped_in_csv_and_kept_in_parquet(work):
    ref = work / "raw" / "reference" / "institutions.csv"
    lines = ref.read_text(encoding="utf-8").splitlines()
    hostile = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1+1)", '=HYPERLINK("http://x","Avans Hogeschool")', "-2+3"]
    renamed = {}
    for i, name in zip(range(1, len(lines)), hostile * 1000):
        code, _, *rest = lines[i].split(";")
        renamed[code] = name
        lines[i] = ";".join([code, name.replace(";", ","), *rest])
    ref.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert run(work) == 0
    checked = 0
    for mart in ("institution_growth", "audit_judgements"):
        entry, rows = read_published(work / "published", mart)
        name_col = next(c for c in rows[0] if "naam" in c)
        for row in rows:
            original = renamed.get(row["instellingscode"])
            if original:
                assert row[name_col] == "'" + original, (mart, row)
                checked += 1
        parquet = duckdb.sql(f"select instellingscode, {name_col} from '{work / 'published' / entry['parquet']}'")
        for code, name in parquet.fetchall():
            if code in renamed:
                assert name == renamed[code]
        meta = json.loads((work / "published" / entry["metadata"]).read_text(encoding="utf-8"))
        assert "OWASP" in meta["csv_escaping"]
    assert checked > 10
    # numbers untouched: negative growth is still a plain number
    _, rows = read_published(work / "published", "institution_growth")
    assert any(r["growth_pct"].startswith("-") for r in rows)


# --- case 5: a delivery cut mid-line; a dependent mart is held back --------------------------------
def test_cut_mid_line_blocks_and_holds_back_the_dependent_mart(work, capsys):
    before_v, before_f = versions(work), data_files(work)
    data = (work / "raw" / HO).read_bytes()
    (work / "raw" / NEW_HO).write_bytes(data[: len(data) // 2])
    assert run(work) == 2
    out = capsys.readouterr().out
    assert mart_line(out, "audit_judgements").startswith(
        "  audit_judgements: held back (built on institution_growth, whose gate blocked")
    assert "held back: 1" in summary_header(out) and "failed" not in summary_header(out)
    assert_nothing_changed(work, before_v, before_f)


# --- cases 2, 6, 7 and the oversized deliveries: files rejected whole, checked by one run ------------
# Each case drops files the run rejects whole and never registers: a misspelled header (case 2); empty,
# future, symlinked and UTF-16 inputs and a bad reference line (cases 6 and 7); two oversized deliveries
# (issue 17). Different files, rejected independently: one run on one copy of the sample checks them all
# (`rejected_run`, exit 1), and each test asserts its own files' reasons, that none of them is registered
# and that the publication stayed. The remedies are two more runs on copies of that directory:
# `remedied_run` (case 2's corrected file and case 6's real files land, the odd ones go) and `cleared_run`
# (every rejected file goes: the next run is green and publishes nothing new).
VO_TYPO = "duo/vo_profielkeuze/2009-03-20_profielkeuze_vo.csv"
HEADER_ONLY_PROGRAMS = "programs/wo-sprint.csv"
HEADER_ONLY_GEDIPL = "duo/ho_gediplomeerden/2009-03-20_gediplomeerden_ho.csv"
REAL_GEDIPL = "duo/ho_gediplomeerden/2009-03-16_gediplomeerden_ho.csv"
FUTURE = (date.today() + timedelta(days=800)).isoformat()
FUTURE_MBO = f"duo/mbo_eerstejaars/{FUTURE}_eerstejaars_mbo.csv"
SYMLINK = "duo/vmbo_examenkandidaten/2008-01-01_link.csv"
UTF16 = "duo/vo_profielkeuze/2008-06-01_profielkeuze_vo.csv"
INSTITUTIONS = "reference/institutions.csv"
HUGE = NEW_HO  # 200 MB
GROWN = "duo/ho_gediplomeerden/2010-03-15_gediplomeerden_ho.csv"  # more than 10x the largest earlier one
N_REJECTED = 1 + 6 + 2  # case 2, cases 6 and 7, the oversized deliveries


def _run_captured(work: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(work)
    return code, out.getvalue()


def _copy(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, symlinks=True)  # the symlinked delivery stays a link
    return target


@pytest.fixture(scope="module")
def rejected_run(sample_run, tmp_path_factory) -> dict:
    """A copy of the sample run with every file of cases 2, 6, 7 and the oversized case dropped in, run
    once (read only: the remedies copy it). Keys: work, code, out, before (versions, data files) and
    largest (the largest earlier ho_gediplomeerden delivery, in bytes)."""
    root = tmp_path_factory.mktemp("rejected")
    work = _copy(sample_run, root / "work")
    raw = work / "raw"
    before = versions(work), data_files(work)
    largest = max(p.stat().st_size for p in (raw / "duo" / "ho_gediplomeerden").iterdir())
    # case 2: a typo in one year/gender header
    (raw / VO_TYPO).write_bytes((raw / VO).read_bytes().replace(b"2007 VROUW", b"2007 VRW", 1))
    # cases 6 and 7: empty, mistaken and odd inputs
    programs = raw / HEADER_ONLY_PROGRAMS
    programs.write_bytes(programs.read_bytes().splitlines(keepends=True)[0])  # header only
    (raw / HEADER_ONLY_GEDIPL).write_bytes((raw / REAL_GEDIPL).read_bytes().splitlines(keepends=True)[0])
    (raw / FUTURE_MBO).write_bytes((raw / "duo/mbo_eerstejaars/2007-03-12_eerstejaars_mbo.csv").read_bytes())
    secret = root / "secret.txt"
    secret.write_text("SECRET FIRST LINE\n", encoding="utf-8")
    os.symlink(secret, raw / SYMLINK)
    (raw / UTF16).write_bytes((raw / VO).read_bytes().decode("cp1252").encode("utf-16"))
    institutions = raw / INSTITUTIONS
    institutions.write_text(institutions.read_text(encoding="utf-8") + "XX;bad;zz;;\n", encoding="utf-8")
    # issue 17, bounded input: sparse files, nothing is written to disk, nothing is read
    huge = raw / HUGE
    huge.touch()
    os.truncate(huge, 200 * 1024 * 1024)
    grown = raw / GROWN
    grown.touch()
    os.truncate(grown, 10 * largest + 1)

    code, out = _run_captured(work)
    return {"work": work, "code": code, "out": out, "before": before, "largest": largest}


def _restore_program_and_reference_files(raw: Path, sample_raw: Path) -> None:
    """Cases 6 and 7's remedy for the files the sample has: the real program file arrives, the bad
    reference line goes."""
    (raw / HEADER_ONLY_PROGRAMS).write_bytes((sample_raw / HEADER_ONLY_PROGRAMS).read_bytes())
    institutions = raw / INSTITUTIONS
    institutions.write_text("\n".join(institutions.read_text(encoding="utf-8").splitlines()[:-1]) + "\n",
                            encoding="utf-8")


@pytest.fixture(scope="module")
def remedied_run(rejected_run, sample_run, tmp_path_factory) -> dict:
    """`rejected_run` copied, then the documented remedies: case 2's corrected file (never registered, so
    it may be replaced) and case 6's real files land (the header-only delivery's name is not burnt), the
    odd and the oversized files go; run again."""
    work = _copy(rejected_run["work"], tmp_path_factory.mktemp("remedied") / "work")
    raw = work / "raw"
    (raw / VO_TYPO).write_bytes((raw / VO).read_bytes())
    _restore_program_and_reference_files(raw, sample_run / "raw")
    (raw / HEADER_ONLY_GEDIPL).write_bytes((raw / REAL_GEDIPL).read_bytes())
    for path in (FUTURE_MBO, SYMLINK, UTF16, HUGE, GROWN):
        (raw / path).unlink()
    code, out = _run_captured(work)
    return {"work": work, "code": code, "out": out}


@pytest.fixture(scope="module")
def cleared_run(rejected_run, sample_run, tmp_path_factory) -> dict:
    """`rejected_run` copied, then the oversized files go (their remedy) and so do the other cases'
    rejected files (the sample's own program and reference files back); run again."""
    work = _copy(rejected_run["work"], tmp_path_factory.mktemp("cleared") / "work")
    raw = work / "raw"
    for path in (HUGE, GROWN, VO_TYPO, HEADER_ONLY_GEDIPL, FUTURE_MBO, SYMLINK, UTF16):
        (raw / path).unlink()
    _restore_program_and_reference_files(raw, sample_run / "raw")
    code, out = _run_captured(work)
    return {"work": work, "code": code, "out": out}


def registered_and_rejected(work: Path) -> tuple[set[str], set[str]]:
    with duckdb.connect(str(work / "state" / "warehouse.duckdb"), read_only=True) as con:
        registered = {r[0] for r in con.execute("select delivery_file from landing.deliveries").fetchall()}
        rejected = {r[0] for r in con.execute("select delivery_file from landing.rejections").fetchall()}
    return registered, rejected


def rejection_line(out: str, text: str) -> str:
    """The summary's numbered line `  [n] rejected: <text>…` (n: its place among the run's reasons)."""
    [line] = [line for line in out.splitlines() if re.match(r"  \[\d+\] rejected: ", line)
              and line.split(" rejected: ", 1)[1].startswith(text)]
    return line


# --- case 2: a typo in one year/gender header -----------------------------------------------------
def test_misspelled_year_gender_header_is_rejected_with_the_column_named(rejected_run, remedied_run):
    work, out = rejected_run["work"], rejected_run["out"]
    assert rejected_run["code"] == 1, out[-3000:]
    assert f"rejected files: {N_REJECTED}" in summary_header(out)
    line = rejection_line(out, f"{VO_TYPO}, line 1, column '2007 VRW'")
    assert "unknown or misspelled column" in line
    assert_nothing_changed(work, *rejected_run["before"])
    registered, rejected = registered_and_rejected(work)
    assert VO_TYPO in rejected and VO_TYPO not in registered

    # Remedy: the corrected file (never registered, so it may be replaced) lands and the run is green.
    assert remedied_run["code"] == 0, remedied_run["out"][-3000:]
    _, rows = read_published(remedied_run["work"] / "published")
    assert figure(rows, "havo_vwo", "instroom", 2007)["growth_pct"] == "56.0"


# --- case 6 and 7: empty, mistaken and odd inputs; then the corrected files -----------------------
def test_empty_future_symlinked_and_utf16_inputs_are_rejected_then_the_real_files_land(rejected_run, remedied_run):
    work, out = rejected_run["work"], rejected_run["out"]
    assert rejected_run["code"] == 1, out[-3000:]
    assert f"rejected files: {N_REJECTED}" in summary_header(out)
    assert "programs/wo-sprint.csv, line 2: no data rows" in out
    assert "2009-03-20_gediplomeerden_ho.csv, line 2: no data lines" in out
    assert f"{FUTURE}_eerstejaars_mbo.csv: delivery date {FUTURE}" in out and "after today" in out
    assert "2008-01-01_link.csv: is a symbolic link" in out and "SECRET" not in out
    assert "2008-06-01_profielkeuze_vo.csv, line 1: wrong encoding: the file is UTF-16" in out
    assert "reference/institutions.csv, line" in out and "r | e | f" not in out
    assert_nothing_changed(work, *rejected_run["before"])
    registered, _ = registered_and_rejected(work)
    assert not any("2009-03-20" in f or FUTURE in f or "link" in f or "2008-06-01" in f for f in registered)

    # Remedy: the real files arrive (the header-only delivery's name is not burnt), the odd ones go.
    assert remedied_run["code"] == 0, remedied_run["out"][-3000:]
    with duckdb.connect(str(remedied_run["work"] / "state" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select n_cells > 0 from landing.deliveries where delivery_file = ?",
                           [HEADER_ONLY_GEDIPL]).fetchall() == [(True,)]


# --- issue 17, bounded input: an oversized delivery is rejected before it is read ---------------------
def test_oversized_deliveries_are_rejected_before_they_are_read(rejected_run, cleared_run):
    """A 200 MB delivery (one valid line repeated once took the ingest past 8 GB of memory) and one more
    than 10x the largest earlier delivery of its dataset: both rejected from their size (sparse files:
    nothing is written to disk, nothing is read), exit 1, the last publication stays."""
    work, out, largest = rejected_run["work"], rejected_run["out"], rejected_run["largest"]
    assert rejected_run["code"] == 1, out[-3000:]
    assert (f"{HUGE}: 209,715,200 bytes (200.0 MB) is larger than the declared maximum of 52,428,800 bytes "
            "(50.0 MB) per delivery (dbt var max_delivery_bytes): rejected before reading") in out
    assert (f"2010-03-15_gediplomeerden_ho.csv: {10 * largest + 1:,} bytes" in out
            and "more than 10 times the largest earlier delivery of its dataset" in out)
    assert_nothing_changed(work, *rejected_run["before"])
    registered, rejected = registered_and_rejected(work)
    assert {HUGE, GROWN} <= rejected
    assert not {HUGE, GROWN} & registered

    # remedy: the files go (or a correct one arrives); the next run is green again
    assert cleared_run["code"] == 0, cleared_run["out"][-3000:]
    assert_nothing_changed(cleared_run["work"], *rejected_run["before"])


# --- case 7, smaller items ------------------------------------------------------------------------
def test_impossible_as_of_date_is_a_usage_error_before_the_job(tmp_path, capsys):
    assert main(["run", "--raw-dir", str(tmp_path), "--publish-dir", str(tmp_path / "p"),
                 "--warehouse", str(tmp_path / "w.duckdb"), "--as-of", "2007-02-30"]) == 64
    out = capsys.readouterr().err
    assert "2007-02-30" in out and "not a valid calendar date" in out


def test_summary_names_marts_held_back_by_a_blocked_mart_they_are_built_on():
    from orchestration.outcome import held_back_reasons

    summary = RunOutcome(run_id="x", published=["audit_outcomes@v", "participation_counts@v"],
                         blocked=["institution_growth (gate institution_growth: …)", "sector_growth (gate …)"])
    assert held_back_reasons(summary) == [
        "audit_judgements (built on institution_growth, whose gate blocked in this run)"]


def test_runtime_failure_exits_1_even_when_a_gate_also_blocked():
    summary = RunOutcome(run_id="x", blocked=["sector_growth (gate …)"],
                         failed_steps=["dbt_models: Runtime Error in model stg_ho_cells"])
    assert summary.exit_code == 1
    assert RunOutcome(run_id="x", blocked=["a"]).exit_code == 2
    assert RunOutcome(run_id="x", held_back=["audit_judgements (built on institution_growth)"]).exit_code == 2
    assert "  audit_judgements: held back (…)" in RunOutcome(run_id="x", held_back=["audit_judgements (…)"]).line()


def test_dbt_runtime_error_is_named_in_the_summary():
    from types import SimpleNamespace

    from orchestration.report import root_cause

    error = SimpleNamespace(cls_name="DagsterDbtCliRuntimeError", cause=None, message=(
        "dagster_dbt.errors.DagsterDbtCliRuntimeError: The dbt CLI process with command\n\n`dbt build`\n\n"
        "failed with exit code `1`.\nErrors parsed from dbt logs:\n"
        "  Runtime Error in model stg_ho_cells (models/staging/stg_ho_cells.sql)\n"
        "  Conversion Error: Could not convert string to DECIMAL(18,1)\n"))
    # the database's own words and the model, not dbt's wrapper
    assert root_cause(error) == "dbt build failed: model stg_ho_cells: Could not convert string to DECIMAL(18,1)"


def test_trace_refuses_a_key_column_and_a_repeated_key(sample_run, capsys):
    common = ["--raw-dir", str(sample_run / "raw"), "--publish-dir", str(sample_run / "published"),
              "--warehouse", str(sample_run / "state" / "warehouse.duckdb")]
    assert main(["trace", "sector_growth", "--where", "sector=wo,measure=instroom,year=2007",
                 "--column", "sector", *common]) == 1
    assert "not a figure" in capsys.readouterr().out
    assert main(["trace", "sector_growth", "--where", "sector=wo,measure=instroom,year=2007,year=2006",
                 *common]) == 1
    assert "'year' twice" in capsys.readouterr().out


def test_accept_and_withdraw_need_a_known_delivery_and_a_reason(sample_run, tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(sample_run / "raw", raw)
    assert main(["withdraw", "duo/ho_eerstejaars/2099-01-01_x.csv", "--reason", "x", "--raw-dir", str(raw)]) == 1
    assert "is not a delivery under" in capsys.readouterr().out
    assert main(["accept", HO, "--reason", " ", "--raw-dir", str(raw)]) == 1
    assert "--reason is required" in capsys.readouterr().out
    assert not (raw / "decisions.csv").exists()


# --- issue 17: duplicates; program and audit files checked as a whole -----------------------------
def test_duplicate_lines_in_a_delivery_are_quarantined_not_double_counted(work, capsys):
    """Two exact duplicate lines, and the same institution x programme x form twice with other counts:
    every line involved is quarantined (named), the figures they could count toward are blocked, so
    wo instroom 2007 stays 12,056 (it would be double counted otherwise)."""
    before_v, before_f = versions(work), data_files(work)
    lines = (work / "raw" / HO).read_bytes().decode("cp1252").split("\r\n")
    wo_row = next(line for line in lines if ";wo;" in line and ";techniek;" in line)
    hbo_row = next(line for line in lines if ";hbo;" in line and ";techniek;" in line)
    fields = hbo_row.split(";")
    fields[-1] = str(int(fields[-1]) + 7) if fields[-1].isdigit() else "7"  # 2007 VROUW
    at = lines.index(wo_row) + 1
    new = [*lines[:at], wo_row, *lines[at:]]  # an exact copy right below it
    last = max(i for i, line in enumerate(new) if ";hbo;" in line or ";wo;" in line)
    new.insert(last + 1, ";".join(fields))  # the hbo row again, other counts, at the end
    (work / "raw" / NEW_HO).write_bytes("\r\n".join(new).encode("cp1252"))
    wo_line, copy_line = at, at + 1  # line numbers: index + 1
    hbo_line, other_line = new.index(hbo_row) + 1, last + 2

    assert run(work) == 2
    out = capsys.readouterr().out
    assert mart_line(out, "sector_growth").startswith("  sector_growth: blocked by gate (")
    assert "_quarantined_cells" in mart_line(out, "sector_growth")
    for mart in ("participation_counts", "audit_outcomes"):  # not built on DUO cells
        assert mart_line(out, mart).startswith((f"  {mart}: unchanged ", f"  {mart}: published new "))
    assert_nothing_changed(work, before_v, before_f)
    _, rows = read_published(work / "published")
    assert figure(rows, "wo", "instroom", 2007)["value"] == "12056.0"
    report = list(csv.DictReader(next((work / "state" / "reports").rglob("quarantine_ho_eerstejaars.csv"))
                                 .open(encoding="utf-8")))
    reasons = {int(r["line_number"]): r["reason"] for r in report}
    assert set(reasons) == {wo_line, copy_line, hbo_line, other_line}
    assert reasons[wo_line] == f"exact duplicate of line {copy_line}"
    assert reasons[copy_line] == f"exact duplicate of line {wo_line}"
    assert reasons[hbo_line].startswith("duplicate row: the same row key (instellingscode ")
    assert reasons[hbo_line].endswith(f"as line {other_line}, with other values")
    assert reasons[other_line].endswith(f"as line {hbo_line}, with other values")
    assert all(r["delivery_file"] == NEW_HO for r in report) and len(report) == 4 * 10  # 2003-2007 x man/vrouw


def test_unknown_program_institutions_and_a_future_audit_round_block_only_their_marts(work, capsys):
    """A program file naming 50 institution codes unknown to institutions.csv: those rows are
    quarantined and participation_counts is blocked (VTB participation 2007 stays 1,930, not 1,980);
    an audit round dated 2099 is quarantined (never published as a WO-SPRINT 2099 round) and blocks
    the audit marts. The marts built on DUO cells, program_growth included, still publish."""
    from tests.unit._audit_workbooks import row, workbook

    before_v, before_f = versions(work), data_files(work)
    vtb = work / "raw" / "programs" / "vtb.csv"
    unknown = [f"9{i:02d}Z" for i in range(50)]
    vtb.write_text(vtb.read_text(encoding="utf-8") + "".join(f"{code};VTB;2006;\n" for code in unknown),
                   encoding="utf-8")
    wo_code = (work / "raw" / "programs" / "wo-sprint.csv").read_text(encoding="utf-8").splitlines()[1].split(";")[0]
    (work / "raw" / "audits" / "2099_wo-sprint.xlsx").write_bytes(
        workbook([row(code=wo_code, naam="Universiteit", programma="WO-SPRINT", jaar=2099)]))

    assert run(work) == 2
    out = capsys.readouterr().out
    assert mart_line(out, "participation_counts").startswith("  participation_counts: blocked by gate (")
    assert "_quarantined_program_rows" in mart_line(out, "participation_counts")
    assert mart_line(out, "audit_outcomes").startswith("  audit_outcomes: blocked by gate (")
    assert "_quarantined_rows" in mart_line(out, "audit_outcomes")
    for mart in DUO_MARTS:
        assert mart_line(out, mart).startswith((f"  {mart}: unchanged ", f"  {mart}: published new "))
    assert_nothing_changed(work, before_v, before_f)
    _, counts = read_published(work / "published", "participation_counts")
    [vtb_2007] = [r for r in counts if r["program"] == "VTB" and r["year"] == "2007"]
    assert vtb_2007["n_institutions"] == "1930"
    _, outcomes = read_published(work / "published", "audit_outcomes")
    assert "2099" not in {r["audit_year"] for r in outcomes}

    [program_report] = (work / "state" / "reports").rglob("quarantine_programs.csv")
    quarantined = list(csv.DictReader(program_report.open(encoding="utf-8")))
    assert [r["raw_value"] for r in quarantined] == unknown
    assert quarantined[0]["delivery_file"] == "programs/vtb.csv" and quarantined[0]["line_number"] == "2047"
    assert quarantined[0]["reason"] == ("unknown institution code (not in reference/institutions.csv); "
                                        "program VTB is blocked")
    with duckdb.connect(str(work / "state" / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select column_header, value, reason from landing.audit_quarantine").fetchall() == [
            ("Auditjaar", "2099", f"auditjaar 2099 is after the run's as-of date {date.today().isoformat()} "
                                  "(a round that cannot have been judged yet)")]
        assert con.execute("select count(*) from landing.program_participation where source_file = 'programs/vtb.csv'"
                           ).fetchall() == [(2045,)]


# --- issue 17: a malformed decisions file fails the run before anything is published --------------
def test_a_malformed_decisions_file_fails_the_run_naming_file_line_and_column(work, capsys):
    before_v, before_f = versions(work), data_files(work)
    digest = hashlib.sha256((work / "raw" / HO).read_bytes()).hexdigest()
    (work / "raw" / "decisions.csv").write_text(
        "decided_at,decided_by,decision,delivery_file,sha256,reason\n"
        f"2026-12-04T18:07:35Z,test engineer,withdrawn,{HO},{digest},fine\n"
        f"2026-12-04T18:08:00Z,test engineer,maybe,{HO},{digest},not a decision\n", encoding="utf-8")
    assert run(work) == 1
    out = capsys.readouterr().out
    assert "decisions.csv, line 3, column 'decision': 'maybe' is not a decision (accepted or withdrawn)" in out
    assert_nothing_changed(work, before_v, before_f)  # never published with its decisions dropped
