"""Issue 17: the gate compares every figure with what is published, on the shipped sample through the
real job. Restatements the delivery revision check lets through (three of +3.9% each, each within 5%
of the one before; a restatement that moves counts between sectors and genders) block until the
deliveries behind the figures are accepted.

One cold run of the sample per test session (`sample_run`, tests/e2e/conftest.py, shared with the
other files that read it); each case copies its directory.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from orchestration.report import load_reports
from pipelines.quality.figure_revisions import released_by
from tests.conftest import figure, read_published
from tests.e2e.test_bad_deliveries import data_files, decide, run, versions, work  # noqa: F401 (fixture)
from tests.e2e.test_nightly_job import mart_line, summary_header

HO = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
RESTATED = [f"duo/ho_eerstejaars/2009-03-{day}_eerstejaars_ho.csv" for day in (20, 21, 22)]
COUNT = re.compile(r"^\d{4} (MAN|VROUW)$")


def _read(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    lines = path.read_bytes().decode("cp1252").split("\r\n")
    header = lines[0].split(";")
    return lines, [line.split(";") for line in lines[1:]], [i for i, h in enumerate(header) if COUNT.match(h)]


def _write(path: Path, header: str, rows: list[list[str]], tail: list[str]) -> None:
    path.write_bytes("\r\n".join([header, *[";".join(r) for r in rows], *tail]).encode("cp1252"))


def restated(source: Path, target: Path, factor: float) -> None:
    """`source` again, every count x factor (masked cells stay masked)."""
    lines, rows, counts = _read(source)
    data = [r for r in rows if len(r) > max(counts)]
    for r in data:
        for i in counts:
            if r[i].isdigit():
                r[i] = str(int(int(r[i]) * factor + 0.5))
    _write(target, lines[0], data, [";".join(r) for r in rows if len(r) <= max(counts)])


def shifted(source: Path, target: Path) -> None:
    """`source` again with every sector's year totals kept: 30% of every hbo bèta count moved to one hbo
    bèta row of another institution, and MAN and VROUW swapped."""
    lines, rows, counts = _read(source)
    data = [r for r in rows if len(r) > max(counts)]
    hbo = [r for r in data if r[4] == "hbo" and r[7] in ("techniek", "natuur")]
    for i in counts:
        receiver = next(r for r in hbo if r[i].isdigit())
        moved = 0
        for r in hbo:
            if r is not receiver and r[5] != receiver[5] and r[i].isdigit():
                part = int(int(r[i]) * 0.3 + 0.5)
                r[i], moved = str(int(r[i]) - part), moved + part
        receiver[i] = str(int(receiver[i]) + moved)
    for r in data:
        for man, vrouw in zip(counts[::2], counts[1::2]):
            r[man], r[vrouw] = r[vrouw], r[man]
    _write(target, lines[0], data, [";".join(r) for r in rows if len(r) <= max(counts)])


def figure_reports(work: Path, run_id: str) -> dict[str, list[dict]]:
    folder = work / "state" / "reports" / run_id
    return {p.stem.removeprefix("figure_revisions_"): list(csv.DictReader(p.open(encoding="utf-8")))
            for p in folder.glob("figure_revisions_*.csv")}


def test_three_small_restatements_block_together_until_accepted(work, capsys):
    before_v, before_f = versions(work), data_files(work)
    _, rows = read_published(work / "published")
    before = {s: figure(rows, s, "instroom", 2007) for s in ("hbo", "wo")}
    source = work / "raw" / HO
    for path in RESTATED:  # each +3.9% on the one before: within the delivery revision check's 5%
        restated(source, work / "raw" / path, 1.039)
        source = work / "raw" / path

    assert run(work) == 2
    out = capsys.readouterr().out
    assert "blocked: 5" in summary_header(out)
    lines = [line for line in out.splitlines() if "revision check:" in line]
    figure_line = next(line for line in lines if "worst sector_growth " in line)
    assert figure_line.startswith("  [") and f"revision check: {RESTATED[2]} (not accepted) moves " in figure_line
    assert figure_line.endswith("; accept or withdraw it")
    assert mart_line(out, "sector_growth").startswith("  sector_growth: blocked by [")
    # audit_judgements takes its figures from institution_growth: held back with it, not blocked itself
    assert mart_line(out, "audit_judgements").startswith("  audit_judgements: held back (built on institution_growth")
    assert versions(work) == before_v and data_files(work) == before_f
    _, rows = read_published(work / "published")
    for sector in ("hbo", "wo"):
        assert figure(rows, sector, "instroom", 2007) == before[sector]

    report = load_reports(work / "state")[0]
    [reason] = [r for r in report["reasons"] if "sector_growth" in r["marts"]]
    # the figures' winning deliveries: the last restatement (it won 2003-2007 from the other two)
    assert reason["kind"] == "revision" and RESTATED[2] in reason["text"]
    assert reason["report"].endswith("figure_revisions_sector_growth.csv")
    figures = figure_reports(work, report["run_id"])
    hbo = next(r for r in figures["sector_growth"] if (r["sector"], r["measure"], r["year"], r["column"])
               == ("hbo", "instroom", "2007", "value"))
    assert float(hbo["published_value"]) == float(before["hbo"]["value"])
    assert float(hbo["relative_change"]) > 0.10 and hbo["blocks"] == "yes"
    assert hbo["new_deliveries"] == RESTATED[2]
    growth = next(r for r in figures["sector_growth"] if (r["sector"], r["measure"], r["year"], r["column"])
                  == ("wo", "instroom", "2007", "growth_pct"))
    assert growth["blocks"] == "yes" and float(growth["change"]) > 10
    # the gender shares (numerator and denominator moved alike, the share barely) are compared too
    assert {"gender_shares", "institution_growth", "program_growth"} <= set(figures)

    # Accepting a superseded restatement releases nothing; the winning one releases the figures.
    assert released_by(work / "state", RESTATED[0]) == []
    for path in RESTATED[:2]:
        assert decide(work, "accept", path, "test: DUO restated") == 0
    released = released_by(work / "state", RESTATED[2].rsplit("/", 1)[1])
    assert any(r["mart"] == "sector_growth" and r["sector"] == "hbo" and r["year"] == "2007"
               and r["column"] == "value" for r in released)
    capsys.readouterr()
    assert decide(work, "accept", RESTATED[2], "test: DUO restated") == 0
    said = capsys.readouterr().out  # the acceptance names the figures it releases
    n_released = len(released_by(work / "state", RESTATED[2]))
    assert f"It releases {n_released} figures the last run held back:" in said and n_released > 10
    assert run(work) == 0
    out = capsys.readouterr().out
    assert mart_line(out, "sector_growth").startswith("  sector_growth: published new ")
    assert "accepted revisions: " in out and f"released by {RESTATED[2]} by test engineer" in out
    entry, rows = read_published(work / "published")
    assert float(figure(rows, "hbo", "instroom", 2007)["value"]) > 1.10 * float(before["hbo"]["value"])
    meta = json.loads((work / "published" / entry["metadata"]).read_text(encoding="utf-8"))
    accepted = meta["quality_gate"]["revision_check"]["accepted_figures"]
    assert accepted and all(a["accepted"] == {RESTATED[2]: "test engineer"} for a in accepted)
    assert any(a["figure"].startswith("sector_growth hbo instroom") for a in accepted)


def test_small_restatements_one_per_night_add_up_against_the_signed_off_version(work, capsys):
    """Night 1: +3.9% on the published version passes. Night 2: +3.9% on night 1 is within the
    thresholds against night 1, but +8% against the version the figures were signed off in (the first
    publication) moves growth beyond 10 points: it blocks until accepted."""
    signed_off = versions(work)
    restated(work / "raw" / HO, work / "raw" / RESTATED[0], 1.039)
    assert run(work) == 0
    capsys.readouterr()
    night_1 = versions(work)
    assert night_1["sector_growth"] != signed_off["sector_growth"]
    restated(work / "raw" / RESTATED[0], work / "raw" / RESTATED[1], 1.039)
    assert run(work) == 2
    out = capsys.readouterr().out
    assert mart_line(out, "sector_growth").startswith("  sector_growth: blocked by [")
    assert f"revision check: {RESTATED[1]} (not accepted) moves " in out
    assert versions(work)["sector_growth"] == night_1["sector_growth"]
    report = load_reports(work / "state")[0]
    rows = [r for r in figure_reports(work, report["run_id"])["sector_growth"]
            if (r["sector"], r["measure"], r["year"], r["column"]) == ("wo", "instroom", "2007", "growth_pct")]
    by_version = {r["compared_with"]: r for r in rows}
    assert by_version[signed_off["sector_growth"]]["blocks"] == "yes"  # +8%: beyond 10 points
    assert by_version[night_1["sector_growth"]]["blocks"] == "no"  # +3.9% on night 1: within
    assert decide(work, "accept", RESTATED[1], "test: DUO restated") == 0
    assert run(work) == 0


def test_a_restatement_keeping_the_totals_that_moves_institutions_and_genders_blocks(work, capsys):
    """Every sector's totals stay (the delivery revision check passes it): the counts move between
    institutions and genders, so the institution benchmark and the share of women are wrong."""
    before_v = versions(work)
    _, shares = read_published(work / "published", "gender_shares")
    _, sectors = read_published(work / "published")
    shifted(work / "raw" / HO, work / "raw" / RESTATED[0])

    assert run(work) == 2
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "revision check:" in line]
    assert lines and all("restates" not in line for line in lines)  # not the delivery revision check
    for mart in ("gender_shares", "institution_growth", "program_growth"):
        assert mart_line(out, mart).startswith(f"  {mart}: blocked by [")
        assert any(f"revision check: {RESTATED[0]} (not accepted) moves " in line and f"worst {mart} " in line
                   for line in lines)
    # nothing wrong published: the marts whose figures moved keep their version; sector_growth (its
    # sector totals kept) may publish within the thresholds, with the same hbo and wo figures
    after_v = versions(work)
    assert {m: v for m, v in after_v.items() if m != "sector_growth"} == \
        {m: v for m, v in before_v.items() if m != "sector_growth"}
    assert read_published(work / "published", "gender_shares")[1] == shares
    _, rows = read_published(work / "published")
    for sector in ("hbo", "wo", "ho"):
        assert figure(rows, sector, "instroom", 2007)["value"] == figure(sectors, sector, "instroom", 2007)["value"]
    report = load_reports(work / "state")[0]
    figures = figure_reports(work, report["run_id"])
    assert not any(r["blocks"] == "yes" for r in figures["sector_growth"])
    women = next(r for r in figures["gender_shares"] if r["indicator"] == "share_women" and r["sector"] == "hbo"
                 and r["measure"] == "instroom" and r["year"] == "2007" and r["column"] == "share_pct")
    assert float(women["new_value"]) > 50 > float(women["published_value"]) and women["blocks"] == "yes"
    assert women["new_deliveries"] == RESTATED[0]
