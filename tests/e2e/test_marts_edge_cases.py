"""End to end: the non-core marts (program_growth, institution_growth, gender_shares,
participation_counts, audit_outcomes, audit_judgements) built by the real job on a tiny raw directory
(tests/e2e/_edge_raw.py: write_small_raw + a vo_profielkeuze delivery, vo schools, programs, audits).

The SQL rules of these marts (disclosure control, like-for-like program groups, school groups,
shares, participation years, audit rounds) are dbt unit tests (dbt_project/models/*/_*_unit_tests.yml,
run by tests/dbt/test_dbt_unit_tests.py). What stays here is about the job: what ingest makes of the
files, exit codes, the audit gate, and what the publication keeps. The job runs three times:
  1. `base`: the full raw directory -> exit 0, everything published (run b/ of the session's
     `edge_runs`, tests/e2e/conftest.py, which test_reproducible.py compares with its twin a/);
  2. `hostile`, on a copy: two workbooks replaced by broken files -> exit 1, the publication stays;
  3. then, on the same copy, the two workbooks readable again but each with a judgement that is not
     one (`onvoldoende`; in wo-sprint_2002.xlsx its only row) -> quarantined, the audit gate blocks (exit 2).

Every assertion reads the published files (catalog.json -> <mart>/<version>/data.csv) the way a
Kennisbank reader would; only the quarantine check also looks at the warehouse's landing table.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from tests.conftest import read_published
from tests.e2e._edge_raw import audit_workbook
from tests.e2e.test_nightly_job import mart_line, summary_header
from tests.unit._audit_workbooks import zip_bomb

AUDIT_MARTS = ("audit_outcomes", "audit_judgements")
OTHER_MARTS = ("sector_growth", "institution_growth", "gender_shares", "participation_counts")


def run(raw: Path, work: Path) -> tuple[int, str]:
    """The real job (`betamonitor run`), its exit code and its printed summary."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", "--raw-dir", str(raw), "--publish-dir", str(work / "published"),
                     "--warehouse", str(work / "state" / "warehouse.duckdb")])
    return code, out.getvalue()


def catalog(work: Path) -> dict:
    return json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]


def select(rows: list[dict], **where) -> list[dict]:
    return [r for r in rows if all(r[k] == str(v) for k, v in where.items())]


# --- the job runs ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def base(edge_runs) -> Path:
    """The fresh run b/ of `edge_runs` (tests/e2e/conftest.py, shared with test_reproducible.py: read
    only) on the raw directory beside it, exit 0 (what it printed: b.out beside it)."""
    out = (edge_runs / "b.out").read_text(encoding="utf-8")
    assert "blocked: 0" in summary_header(out) and "not published" not in out, out
    return edge_runs / "b"


@pytest.fixture(scope="module")
def hostile(base, tmp_path_factory) -> dict:
    """Two workbooks replaced by hostile/broken files (exit 1); then readable again, each with one
    judgement that is not one (exit 2): 2003 HBO-SPRINT judges 30AA `onvoldoende` beside 30CC
    negatief; the WO-SPRINT 2002 workbook's only row says `onvoldoende`."""
    work = tmp_path_factory.mktemp("edge_hostile") / "work"
    shutil.copytree(base, work)
    shutil.copytree(base.parent / "raw", work / "raw")
    audits = work / "raw" / "audits"
    (audits / "hbo-sprint_2003.xlsx").write_bytes(zip_bomb())  # 50 MB of zeros, deflated ~1000:1
    (audits / "wo-sprint_2002.xlsx").write_bytes(b"Instellingscode;Oordeel\r\n21BB;positief\r\n")  # a CSV
    result = {"work": work}
    result["code"], result["out"] = run(work / "raw", work)
    result["catalog"] = catalog(work)
    (audits / "hbo-sprint_2003.xlsx").write_bytes(audit_workbook([
        ("30AA", "Hogeschool Bèta", "HBO-SPRINT", 2003, "onvoldoende"),
        ("30CC", "Hogeschool Zonder Cijfers", "HBO-SPRINT", 2003, "negatief")]))
    (audits / "wo-sprint_2002.xlsx").write_bytes(audit_workbook([
        ("21BB", "Universiteit Delta", "WO-SPRINT", 2002, "onvoldoende")]))
    result["quarantined_code"], result["quarantined_out"] = run(work / "raw", work)
    result["quarantined_catalog"] = catalog(work)
    return result


# --- what the base run publishes ------------------------------------------------------------------

AUDIT_OUTCOMES = {  # (program, audit_year): (n_judged, positief, twijfel, negatief, twijfel_or_negatief)
    ("HBO-SPRINT", 2002): (1, 0, 1, 0, 1),  # 30AA `Twijfelachtig` = twijfel
    ("HBO-SPRINT", 2003): (2, 1, 0, 1, 1),  # 30AA positief (`Hbo-sprint`, year as text), 30CC `NEGATIEF`
    ("UNIVERSUM", 2002): (2, 1, 1, 0, 1),   # 51UU positief, 52JJ twijfel
    ("WO-SPRINT", 2002): (1, 1, 0, 0, 0),   # 21BB positief
}


def audit_outcomes(publish_dir: Path) -> dict:
    _, rows = read_published(publish_dir, "audit_outcomes")
    return {(r["program"], int(r["audit_year"])): tuple(int(r[c]) for c in (
        "n_judged", "n_positief", "n_twijfel", "n_negatief", "n_twijfel_or_negatief")) for r in rows}


def test_audit_workbooks_as_written_give_the_published_outcomes(base):
    assert audit_outcomes(base / "published") == AUDIT_OUTCOMES
    _, judgements = read_published(base / "published", "audit_judgements")
    # Every judged institution appears, UNIVERSUM's next to its havo_vwo benchmark figure.
    assert len({(r["program"], r["audit_year"], r["instellingscode"]) for r in judgements}) == 6
    assert {r["sector"] for r in select(judgements, program="UNIVERSUM")} == {"havo_vwo"}


def test_merger_in_the_reference_file_reports_the_school_under_its_surviving_code(base):
    """reference/institutions.csv: 54OO opgegaan_in 55SS per 2002 (the rule itself: dbt unit tests)."""
    _, rows = read_published(base / "published", "institution_growth")
    assert not select(rows, instellingscode="54OO")  # no series for the old code, in any sector
    # 55SS own 50 + old 54OO 30 in 2000-2001; 90 on its own from 2002: one series, baseline 80.
    series = {int(r["year"]): (r["value"], r["baseline_value"], r["growth_pct"])
              for r in select(rows, sector="vwo", measure="instroom", instellingscode="55SS")}
    assert series == {2000: ("80.0", "80.0", "0.0"), 2001: ("80.0", "80.0", "0.0"),
                      2002: ("90.0", "80.0", "12.5"), 2003: ("90.0", "80.0", "12.5")}
    assert {r["instellingsnaam"] for r in select(rows, instellingscode="55SS")} == {"Samen College"}


def test_suppressed_figures_are_published_empty_with_symbol_c(base):
    _, rows = read_published(base / "published", "institution_growth")
    # 56KK vwo 2002: 5 + `<5` = 7.5 pupils.
    small = select(rows, sector="vwo", measure="instroom", instellingscode="56KK", year=2002)
    assert [(r["suppression"], r["value"], r["index"], r["growth_pct"]) for r in small] == [("c", "", "", "")]


# --- bad workbooks --------------------------------------------------------------------------------

def test_hostile_workbooks_are_rejected_and_the_audit_publication_stays(base, hostile):
    out = hostile["out"]
    assert hostile["code"] == 1, out
    assert "rejected files: 2" in summary_header(out)
    assert "rejected: audits/hbo-sprint_2003.xlsx: zip member 'xl/worksheets/sheet1.xml' expands" in out
    assert "refused as a zip bomb" in out
    assert "audits/wo-sprint_2002.xlsx: not an Excel workbook (.xlsx): the file is a text file" in out
    before = catalog(base)
    for mart in AUDIT_MARTS:
        assert hostile["catalog"][mart] == before[mart]
        # The marts were rebuilt in this run from the workbooks' earlier rows: same version.
        assert mart_line(out, mart) == f"  {mart}: unchanged {before[mart]['version']}"
    assert hostile["catalog"] == before  # nothing else changed either
    assert audit_outcomes(hostile["work"] / "published") == AUDIT_OUTCOMES


def test_unknown_judgements_are_quarantined_and_block_the_audit_gate(base, hostile):
    """The once rejected workbooks are read again; a quarantined judgement blocks the audit gate,
    also where it is the workbook's only row; the last audit publication stays current."""
    out = hostile["quarantined_out"]
    assert hostile["quarantined_code"] == 2, out
    assert mart_line(out, "audit_outcomes").startswith("  audit_outcomes: blocked by gate (")
    assert "_quarantined_rows" in mart_line(out, "audit_outcomes")
    assert "rejected" not in summary_header(out) and "rejected: " not in out
    before = catalog(base)
    assert hostile["quarantined_catalog"] == before  # same versions, no new history entries
    assert audit_outcomes(hostile["work"] / "published") == AUDIT_OUTCOMES
    # Unrelated marts still publish (same data, same versions).
    for mart in OTHER_MARTS:
        assert mart_line(out, mart).startswith(f"  {mart}: unchanged ")
    with duckdb.connect(str(hostile["work"] / "state" / "warehouse.duckdb"), read_only=True) as con:
        quarantined = con.execute("select audit_file, row_number, column_header, value, reason "
                                  "from landing.audit_quarantine order by audit_file").fetchall()
    # Title in row 1, empty row 2, header row 3: the first judgement is row 4.
    assert [q[:4] for q in quarantined] == [("audits/hbo-sprint_2003.xlsx", 4, "Oordeel", "onvoldoende"),
                                            ("audits/wo-sprint_2002.xlsx", 4, "Oordeel", "onvoldoende")]
    assert all(q[4].startswith("unknown oordeel") for q in quarantined)
