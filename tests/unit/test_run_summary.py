"""The summary `betamonitor run` prints (orchestration/outcome.py RunOutcome), built from synthetic
inputs: one line per mart, each reason once and numbered, folded notes, short lines, and the whole
detail in what goes to the run report."""

from __future__ import annotations

import re

import pytest

from orchestration.exit_codes import EXIT_FAILED, EXIT_GATE_BLOCKED, EXIT_OK
from orchestration.outcome import LINE_LIMIT, RunOutcome, clip, fit_items, visible_len
from orchestration.report import split_gate_summary
from pipelines.revisions import describe

RUN_ID = "6116c5d6-0000-5000-8000-000000000000"
DUO_MARTS = ["sector_growth", "program_growth", "gender_shares", "institution_growth", "regional_growth"]
WO = "duo/ho_eerstejaars/2020-03-01_03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019.csv"
HBO = "duo/ho_eerstejaars/2020-03-01_03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv"
REPORT = f"/srv/betamonitor/state/reports/{RUN_ID}/run_report.json"
NO_BASELINE = ("no data in baseline year 2015 (data covers 2019-2023): index and growth_pct are empty; "
               "choose another with --baseline-year")
SERIES = [("havo", "uitstroom"), ("havo_vwo", "uitstroom"), ("vmbo", "uitstroom"), ("vmbo", "uitstroom_tl"),
          ("vwo", "uitstroom"), ("mbo", "uitstroom"), ("vmbo", "instroom_tl")]


def revision_rows(delivery: str = WO, earlier: str = HBO) -> list[dict]:
    return [{"dataset": "ho_eerstejaars", "delivery_file": delivery, "earlier_delivery_file": earlier, "year": y,
             "earlier_total": 21608.0, "restated_total": 609.0, "total_change": -0.972 if y == 2016 else -0.5,
             "earlier_rows": 263, "missing_rows": 263, "missing_share": 1.0,
             "biggest_differences": [{"row": "hbo | 30GB | 30020 | VT", "earlier": 624.0, "restated": 0.0}]}
            for y in range(2015, 2020)]


def gate_text(mart: str, failed: int, revisions: list[dict]) -> str:
    """As assets/gates.py composes it: the GX result; the revision check (short); its report."""
    gx = (f"gate {mart}: {failed} of 20 expectations failed: "
          + "; ".join(f"expect_column_values_to_be_between(_quarantined_cells) unexpected={35 + i}"
                      for i in range(failed))) if failed else f"gate {mart}: 20 expectations passed"
    if not revisions:
        return gx
    return f"{gx}; {describe(revisions, short=True)}; report /srv/betamonitor/state/reports/{RUN_ID}/revisions.csv"


def national_summary(**extra) -> RunOutcome:
    """Five marts blocked by one revision (two also by their gate), one held back, one empty, one
    unchanged; cells not counted by type, and seven series without their baseline."""
    return RunOutcome(
        run_id=RUN_ID,
        unchanged=["participation_counts@2009-03-16_f8465687e98f"],
        blocked=[f"{m} ({gate_text(m, i % 2, revision_rows())})" for i, m in enumerate(DUO_MARTS)],
        held_back=["audit_judgements (built on institution_growth, whose gate blocked in this run)"],
        not_published=["audit_outcomes (no input data)"],
        not_counted=[{"dataset": "ho_eerstejaars", "programme_type": "master", "n_cells": 960,
                      "reason": "master: a master follows a bachelor: its students entered higher education earlier"},
                     {"dataset": "ho_gediplomeerden", "programme_type": "hbo master", "n_cells": 2150,
                      "reason": "hbo master: not an initial degree"}],
        without_baseline=[{"sector": s, "measure": m, "baseline_year": 2015, "reason": NO_BASELINE}
                          for s, m in SERIES],
        report_path=REPORT, **extra)


def lines_of(summary: RunOutcome) -> list[str]:
    return summary.line().split("\n")


def test_header_keeps_the_wording_tests_and_the_readme_grep_for():
    header = lines_of(national_summary())[0]
    assert re.match(r"betamonitor run 6116c5d6: published new: 0; unchanged: 1; blocked: 5; held back: 1; "
                    r"not published: 1$", header), header


def test_one_line_per_mart_and_a_revision_blocking_many_marts_is_given_once():
    lines = lines_of(national_summary())
    text = "\n".join(lines)
    # the revision's text appears once, numbered; every blocked mart refers to it by number
    assert text.count(f"restates 2015-2019 of {HBO}") == 1
    [revision] = [line for line in lines if "revision check:" in line]
    assert revision.startswith(f"  [1] revision check: {WO} restates 2015-2019 of {HBO} beyond the thresholds")
    assert revision.endswith("; accept or withdraw it")
    mart_lines = {line.split(":", 1)[0].strip(): line for line in lines[1:] if re.match(r"  [a-z_]+: ", line)}
    assert list(mart_lines) == ["sector_growth", "program_growth", "gender_shares", "institution_growth",
                                "regional_growth", "audit_outcomes", "audit_judgements", "participation_counts"]
    assert mart_lines["sector_growth"] == "  sector_growth: blocked by [1]"  # its gate passed: the revision only
    assert mart_lines["program_growth"] == (
        "  program_growth: blocked by gate (1 of 20 expectations failed: "
        "expect_column_values_to_be_between(_quarantined_cells) unexpected=35) and [1]")
    assert mart_lines["audit_judgements"] == (
        "  audit_judgements: held back (built on institution_growth, whose gate blocked in this run)")
    assert mart_lines["audit_outcomes"] == "  audit_outcomes: not published (no input data)"
    assert mart_lines["participation_counts"] == "  participation_counts: unchanged 2009-03-16_f8465687e98f"
    assert lines[-1] == f"report: {REPORT}"


def test_two_revisions_are_two_reasons_and_each_mart_names_both():
    other = "duo/ho_gediplomeerden/2020-03-01_05-gediplomeerden-wo-2019.csv"
    rows = revision_rows() + revision_rows(other, "duo/ho_gediplomeerden/2019-03-01_05-gediplomeerden-hbo.csv")
    summary = RunOutcome(run_id=RUN_ID, blocked=[f"{m} ({gate_text(m, 0, rows)})" for m in DUO_MARTS])
    lines = lines_of(summary)
    assert [line.split(" restates")[0] for line in lines if "revision check:" in line] == [
        f"  [1] revision check: {WO}", f"  [2] revision check: {other}"]
    assert all(f"  {m}: blocked by [1], [2]" in lines for m in DUO_MARTS)


def test_seven_series_without_their_baseline_fold_into_one_line():
    lines = lines_of(national_summary())
    folded = [line for line in lines if "baseline year" in line]
    assert len(folded) == 1, folded
    [line] = folded
    assert re.match(r"  \[\d\] no data in baseline year 2015 for 7 series \(havo uitstroom, havo_vwo uitstroom, "
                    r".*… and \d more\): index and growth_pct are empty; choose another with --baseline-year$", line)
    # the whole list goes to the run report (the reasons the summary numbers)
    [reason] = [r for r in national_summary().outcome()["reasons"] if r["kind"] == "no baseline"]
    assert reason["series"] == [f"{s} {m}" for s, m in SERIES]
    assert [r["reason"] for r in reason["items"]] == [NO_BASELINE] * 7
    assert "vmbo instroom_tl" in reason["text"]


def test_one_series_without_its_baseline_keeps_its_own_note():
    summary = RunOutcome(run_id=RUN_ID, without_baseline=[
        {"sector": "vwo", "measure": "uitstroom", "baseline_year": 2015, "reason": NO_BASELINE}])
    assert f"  [1] vwo uitstroom: {NO_BASELINE}" in lines_of(summary)


def test_counting_notes_and_rejected_files_are_numbered_once_each():
    rejected = ["audits/wo-sprint_2002.xlsx: not an Excel workbook (.xlsx): the file is a text file",
                "reference/institutions.csv, line 9: unknown soort 'zz'"]
    summary = national_summary(rejected=rejected + rejected[:1])  # the same rejection read twice: one reason
    lines = lines_of(summary)
    assert lines[0].endswith("; rejected files: 3")
    assert [line for line in lines if "rejected:" in line] == [f"  [{i}] rejected: {r}" for i, r in
                                                               ((2, rejected[0]), (3, rejected[1]))]
    assert ("  [4] not counted: 960 cells of type 'master' in ho_eerstejaars (master: a master follows a bachelor: "
            "its students entered higher education earlier)") in lines
    assert lines.index("reasons:") > max(i for i, line in enumerate(lines) if line.startswith("  institution_growth"))
    assert summary.exit_code == EXIT_GATE_BLOCKED


def test_every_line_is_short_except_paths_and_the_report_keeps_the_whole_text():
    long_reason = "a reason that goes on " * 30
    summary = national_summary(
        rejected=[f"duo/vo_profielkeuze/2009-03-20_profielkeuze_vo.csv, line 1, column '2007 VRW': {long_reason}"],
        failed_steps=["dbt_models: dbt build failed: " + long_reason,
                      "published__sector_growth: cannot publish sector_growth to /srv/pub: " + long_reason])
    lines = lines_of(summary)
    assert all(visible_len(line) <= LINE_LIMIT for line in lines), [l for l in lines if visible_len(l) > LINE_LIMIT]
    assert all(len(line) <= LINE_LIMIT for line in lines if "/" not in line)
    assert any(line.endswith(" …") for line in lines)  # cut, and says so
    outcome = summary.outcome()
    assert any(r["text"].endswith(long_reason) for r in outcome["reasons"] if r["kind"] == "rejected")
    assert any(r["text"] == "dbt_models: dbt build failed: " + long_reason for r in outcome["reasons"])
    assert outcome["marts"]["sector_growth"]["status"] == "blocked"  # its gate blocked before the publish step
    assert summary.exit_code == EXIT_FAILED


def test_a_failed_publish_step_is_the_marts_line_and_marts_without_events_did_not_run():
    summary = RunOutcome(run_id=RUN_ID, published=["sector_growth@2009-03-16_89743410723e"],
                         failed_steps=["published__program_growth: cannot publish program_growth to /p: "
                                       "No space left on device (/p/x); nothing was published",
                                       "dbt_models: dbt build failed: Runtime Error in model stg_ho_cells"])
    lines = lines_of(summary)
    assert lines[0] == ("betamonitor run 6116c5d6: published new: 1; unchanged: 0; blocked: 0; not run: 6; "
                        "failed steps: 2")
    assert ("  program_growth: failed: cannot publish program_growth to /p: No space left on device (/p/x); "
            "nothing was published") in lines
    assert "  gender_shares: not run: an earlier step failed [1]" in lines
    assert "  [1] failed: dbt_models: dbt build failed: Runtime Error in model stg_ho_cells" in lines
    assert summary.exit_code == EXIT_FAILED


def test_a_green_run_has_no_reasons_block():
    summary = RunOutcome(run_id=RUN_ID, published=["sector_growth@v1"], unchanged=["gender_shares@v2"],
                         report_path=REPORT)
    lines = lines_of(summary)
    assert lines[0] == "betamonitor run 6116c5d6: published new: 1; unchanged: 1; blocked: 0; not run: 6"
    assert "reasons:" not in lines and lines[-1] == f"report: {REPORT}"
    assert summary.exit_code == EXIT_OK


def test_the_gate_text_splits_into_the_expectations_and_one_revision_per_delivery():
    other = "duo/ho_eerstejaars/2021-03-01_03b-eerstejaars-wo.csv"
    rows = revision_rows() + revision_rows(other)
    expectations, revisions, report = split_gate_summary(gate_text("gender_shares", 2, rows))
    assert expectations.startswith("gate gender_shares: 2 of 20 expectations failed: ")
    assert revisions == [describe(revision_rows(), short=True), describe(revision_rows(other), short=True)]
    assert report.endswith("/revisions.csv")
    assert split_gate_summary("gate x: 9 expectations passed") == ("gate x: 9 expectations passed", [], "")


def test_describe_short_gives_counts_as_counts():
    text = describe(revision_rows(), short=True)
    assert "beyond the thresholds: 2016 total 21608 -> 609 (-97.2%), 263 of 263 rows missing; biggest difference " \
           "hbo | 30GB | 30020 | VT: 624 -> 0; accept or withdraw it" in text


def test_from_sections_reads_the_report_sections(monkeypatch):
    """The summary is read from the run report's sections (one reading of the events)."""
    monkeypatch.setattr("orchestration.outcome.upstream_marts",
                        lambda mart, marts: ["institution_growth"] if mart == "audit_judgements" else [])
    gate = gate_text("institution_growth", 1, revision_rows())
    sections = {
        "published": {"sector_growth": {"version": "v1", "status": "published new"},
                      "gender_shares": {"version": "v2", "status": "unchanged"},
                      "audit_outcomes": {"status": "kept back", "reason": "empty mart (no input data): not published"}},
        "gates": {"institution_growth": {"passed": False, "severity": "ERROR", "summary": gate},
                  "sector_growth": {"passed": True, "severity": "ERROR", "summary": "gate sector_growth: ok"}},
        "checks": {"passed": 3, "failed": ["x"], "errors": [{"asset": "intermediate/int_x", "check": "unique_x",
                                                             "summary": "failed"}]},
        "failed_steps": [{"step": "published__program_growth", "error": "held back: built on x, whose gate did not "
                                                                        "pass in this run"}],
        "rejected_files": ["programs/wo-sprint.csv, line 2: no data rows"],
        "warehouse": {"cells_not_counted_by_type": "not available: no such table",
                      "series_without_baseline": [{"sector": "vwo", "measure": "uitstroom", "baseline_year": 2015,
                                                   "reason": NO_BASELINE}]},
    }
    summary = RunOutcome.from_sections(RUN_ID, sections)
    assert summary.published == ["sector_growth@v1"] and summary.unchanged == ["gender_shares@v2"]
    assert summary.not_published == ["audit_outcomes (no input data)"]
    assert summary.blocked == [f"institution_growth ({gate})"]
    assert summary.failed_steps == ["dbt test unique_x on intermediate/int_x failed"]
    assert summary.held_back == [
        "program_growth (held back: built on x, whose gate did not pass in this run)",
        "audit_judgements (built on institution_growth, whose gate blocked in this run)"]
    assert summary.rejected == sections["rejected_files"]
    assert summary.not_counted == [] and summary.without_baseline == sections["warehouse"]["series_without_baseline"]
    assert summary.sections is sections
    assert "  program_growth: held back (built on x, whose gate did not pass in this run)" in lines_of(summary)
    assert summary.exit_code == EXIT_FAILED


@pytest.mark.parametrize("text, expected", [
    ("short", "short"),
    ("word " * 60 + "; accept or withdraw it", None),
])
def test_clip_keeps_the_remedy(text, expected):
    out = clip(text, 50)
    if expected:
        assert out == expected
    else:
        assert out.endswith(" …; accept or withdraw it") and visible_len(out) <= 50


def test_fit_items_says_how_many_were_left_out():
    assert fit_items("x (", ["a" * 30] * 5, ")", limit=80) == f"x ({'a' * 30}, {'a' * 30}, … and 3 more)"
    assert fit_items("x (", ["a", "b"], ")") == "x (a, b)"
