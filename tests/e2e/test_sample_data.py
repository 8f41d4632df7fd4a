"""The shipped sample (raw/) reproduces the source document's HO figures through the real job."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from orchestration.cli import main
from pipelines.paths import REPO_ROOT
from pipelines.trace import trace_figure
from tests.conftest import figure, read_published

SEED_FIGURES = Path(REPO_ROOT.parent / "shared" / "reference" / "seed_figures.csv")
SECTOR_FIGURES = {  # figure_id -> (sector, measure, year, reported growth in whole percent)
    "ho_instroom_hbo": ("hbo", "instroom", 2007, -4),
    "ho_instroom_wo": ("wo", "instroom", 2007, 37),
    "ho_instroom_ho": ("ho", "instroom", 2007, 10),
    "ho_uitstroom_hbo": ("hbo", "uitstroom", 2007, -5),
    "ho_uitstroom_wo": ("wo", "uitstroom", 2007, 39),
    "ho_uitstroom_ho": ("ho", "uitstroom", 2007, 8),
    "vo_n_profiel_all": ("havo_vwo", "instroom", 2007, 56),
    "vmbo_uitstroom_techniek": ("vmbo", "uitstroom", 2006, -15),
    "vmbo_uitstroom_tl": ("vmbo", "uitstroom_tl", 2006, 5),
    "mbo_uitstroom": ("mbo", "uitstroom", 2006, -2),
}
# figure_id -> (school_group, gender, {year: reported share in percent})
VWO_SHARE_FIGURES = {
    "vwo_share_n_profiel": ("all schools", "totaal", {2006: "50", 2007: "55"}),
    "vwo_share_n_profiel_girls": ("all schools", "vrouw", {2006: "42.5", 2007: "50"}),
    "vwo_share_n_profiel_girls_universum": ("UNIVERSUM participants", "vrouw", {2006: "45.5", 2007: "51"}),
}
PARTICIPATION_2007 = {"VTB": 1930, "UNIVERSUM": 120, "JET-NET": 147, "VMBO-AMBITIE": 110, "MBO-AMBITIE": 15}
HO_FIGURES = {k: v for k, v in SECTOR_FIGURES.items() if k.startswith("ho_")}


def whole_percent(text: str) -> int:
    """The source document rounds to whole percents (half away from zero)."""
    return int(Decimal(text).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@pytest.fixture
def sample_work(sample_run) -> Path:
    """One run of the real job on the shipped sample: work/raw (a copy of raw/), work/published and
    work/state/warehouse.duckdb (tests/e2e/conftest.py, shared with other files: read only)."""
    return sample_run


@pytest.fixture
def sample_publication(sample_work) -> Path:
    return sample_work / "published"


def trace(sample_work: Path, mart: str, **keys):
    return trace_figure(mart, {k: str(v) for k, v in keys.items()}, None, publish_dir=sample_work / "published",
                        warehouse=sample_work / "state" / "warehouse.duckdb", raw_dir=sample_work / "raw")


def test_expected_figures_match_the_shared_reference_file():
    if not SEED_FIGURES.exists():
        pytest.skip("shared/reference/seed_figures.csv is not beside this checkout")
    with SEED_FIGURES.open(encoding="utf-8") as fh:
        reference = {r["figure_id"]: r for r in csv.DictReader(fh, delimiter=";")}
    for figure_id, (sector, measure, year, reported) in SECTOR_FIGURES.items():
        row = reference[figure_id]
        assert (row["sector"], row["measure"], int(row["year"]), int(row["reported"])) == \
            (sector, measure, year, reported)
    for figure_id, (_, _, shares) in VWO_SHARE_FIGURES.items():
        assert reference[figure_id]["reported"] == " -> ".join(shares.values())
    for program, count in PARTICIPATION_2007.items():
        assert int(reference[f"participation_{program.lower().replace('-', '_').replace('jet_net', 'jetnet')}"]
                   ["reported"]) == count
    assert reference["vo_n_profiel_programs"]["reported"] == "59"
    assert reference["audit_hbo_sprint_doubt_negative"]["reported"] == "9 -> 3"


@pytest.mark.parametrize("figure_id", sorted(SECTOR_FIGURES))
def test_sample_reproduces_sector_seed_figure(sample_publication, figure_id):
    sector, measure, year, reported = SECTOR_FIGURES[figure_id]
    _, rows = read_published(sample_publication)
    row = figure(rows, sector, measure, year)
    assert whole_percent(row["growth_pct"]) == reported
    assert row["baseline_year"] == "2000"


def test_hbo_instroom_grows_once_informatica_is_left_out(sample_publication):
    _, rows = read_published(sample_publication)
    assert Decimal(figure(rows, "hbo", "instroom_excl_informatica", 2007)["growth_pct"]) > 0
    assert Decimal(figure(rows, "hbo", "instroom", 2007)["growth_pct"]) < 0


def test_shipped_sample_is_what_the_generators_write(tmp_path):
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "generate_sample_data.py"),
                    "--raw-dir", str(tmp_path)], check=True, capture_output=True)
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "generate_audit_workbooks.py"),
                    "--raw-dir", str(tmp_path)], check=True, capture_output=True)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert generated, "the generator wrote nothing"
    for rel in generated:
        shipped = REPO_ROOT / "raw" / rel
        assert hashlib.sha256(shipped.read_bytes()).digest() == hashlib.sha256((tmp_path / rel).read_bytes()).digest(), rel


def test_program_schools_grew_59_percent_in_n_profielen(sample_publication):
    _, rows = read_published(sample_publication, "program_growth")
    match = [r for r in rows if (r["program"], r["sector"], r["measure"], r["year"], r["participation"])
             == ("ANY", "havo_vwo", "instroom", "2007", "participants")]
    assert len(match) == 1 and whole_percent(match[0]["growth_pct"]) == 59


@pytest.mark.parametrize("figure_id", sorted(VWO_SHARE_FIGURES))
def test_vwo_n_profiel_shares(sample_publication, figure_id):
    school_group, gender, shares = VWO_SHARE_FIGURES[figure_id]
    _, rows = read_published(sample_publication, "gender_shares")
    for year, reported in shares.items():
        match = [r for r in rows if (r["indicator"], r["sector"], r["gender"], r["school_group"], r["year"])
                 == ("share_n_profiel", "vwo", gender, school_group, str(year))]
        assert len(match) == 1
        # The source rounds 50 and 55 to whole percents and 42.5 / 45.5 to one decimal.
        places = Decimal("0.1") if "." in reported else Decimal("1")
        assert Decimal(match[0]["share_pct"]).quantize(places, rounding=ROUND_HALF_UP) == Decimal(reported)


def test_participation_counts_2007(sample_publication):
    _, rows = read_published(sample_publication, "participation_counts")
    counts = {r["program"]: int(r["n_institutions"]) for r in rows if r["year"] == "2007"}
    assert {p: counts[p] for p in PARTICIPATION_2007} == PARTICIPATION_2007


def test_hogescholen_judged_doubtful_or_negative_fell_from_9_to_3(sample_publication):
    _, rows = read_published(sample_publication, "audit_outcomes")
    outcome = {r["audit_year"]: int(r["n_twijfel_or_negatief"]) for r in rows if r["program"] == "HBO-SPRINT"}
    assert (outcome["2006"], outcome["2007"]) == (9, 3)


def test_every_mart_is_published_with_metadata(sample_publication):
    import json

    catalog = json.loads((sample_publication / "catalog.json").read_text(encoding="utf-8"))["marts"]
    assert set(catalog) == {"sector_growth", "program_growth", "gender_shares", "institution_growth",
                            "regional_growth", "participation_counts", "audit_outcomes", "audit_judgements"}
    for mart, entry in catalog.items():
        meta = json.loads((sample_publication / entry["metadata"]).read_text(encoding="utf-8"))
        assert meta["quality_gate"]["success"] and meta["grain"] and meta["footnotes"], mart
        assert {c["role"] for c in meta["columns"]} == {"filter", "indicator"}, mart


# --- the trace (betamonitor trace) on the sample -----------------------------------------------------

@pytest.mark.parametrize("figure_id", sorted(HO_FIGURES))
def test_trace_of_each_ho_seed_figure_matches_and_lists_raw_cells(sample_work, figure_id, capsys):
    sector, measure, year, _ = HO_FIGURES[figure_id]
    code = main(["trace", "sector_growth", "--where", f"sector={sector},measure={measure},year={year}",
                 "--column", "growth_pct", "--publish-dir", str(sample_work / "published"),
                 "--warehouse", str(sample_work / "state" / "warehouse.duckdb"), "--raw-dir", str(sample_work / "raw")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "matches the published value" in out
    cells = out.split("Raw cells (")[1]
    assert int(cells.split(")")[0]) > 0 and "duo/ho_" in cells and ".csv:" in cells


def test_trace_proves_every_sector_growth_row(sample_work, sample_publication):
    _, rows = read_published(sample_publication)
    failures = []
    for row in rows:
        result = trace(sample_work, "sector_growth", sector=row["sector"], measure=row["measure"], year=row["year"])
        if not result.matches or not result.cells:
            failures.append((row["sector"], row["measure"], row["year"], result.mismatches + result.problems))
    assert not failures, failures[:5]
    assert len(rows) > 100


def test_trace_of_a_share_lists_numerator_and_denominator(sample_work):
    result = trace(sample_work, "gender_shares", indicator="share_n_profiel", sector="vwo", measure="instroom",
                   gender="vrouw", school_group="UNIVERSUM participants", year=2007)
    assert result.matches, result.mismatches + result.problems
    assert result.published_value == "51.0"
    assert result.members["programs"] == ["UNIVERSUM"] and len(result.members["institutions"]) == 120
    assert {c["gender"] for c in result.cells} == {"VROUW"}
    assert any(c["in_numerator"] for c in result.cells) and not all(c["in_numerator"] for c in result.cells)


def test_trace_of_a_program_group_names_its_members(sample_work):
    result = trace(sample_work, "program_growth", program="ANY", sector="havo_vwo", measure="instroom",
                   year=2007, participation="participants")
    assert result.matches, result.mismatches + result.problems
    assert result.members["programs"] == ["JET-NET", "UNIVERSUM"]
    assert result.members["n_institutions"] == 240
    assert {c["role"] for c in result.cells} == {"figure year", "baseline year"}


def test_trace_of_a_suppressed_institution_figure_shows_the_rule(sample_work, sample_publication):
    _, rows = read_published(sample_publication, "institution_growth")
    suppressed = next(r for r in rows if r["suppression"] == "c" and r["suppression_reason"].startswith("primary: rests"))
    result = trace(sample_work, "institution_growth", sector=suppressed["sector"], measure=suppressed["measure"],
                   instellingscode=suppressed["instellingscode"], year=suppressed["year"])
    assert result.matches, result.mismatches + result.problems
    assert result.published_value == "" and result.recomputed["suppression"] == "c"
    assert "< 10" in result.members["disclosure_rule"]


# One figure of each traceable mart (the seed figures where the mart has one).
MEMBER_FIGURES = {
    "sector_growth": {"sector": "wo", "measure": "instroom", "year": 2007},
    "institution_growth": {"sector": "wo", "measure": "instroom", "instellingscode": "21PB", "year": 2007},
    "program_growth": {"program": "ANY", "sector": "havo_vwo", "measure": "instroom", "year": 2007,
                       "participation": "participants"},
    "gender_shares": {"indicator": "share_n_profiel", "sector": "vwo", "measure": "instroom", "gender": "vrouw",
                      "school_group": "UNIVERSUM participants", "year": 2007},
}


@pytest.mark.parametrize("mart", sorted(MEMBER_FIGURES))
def test_the_traced_population_is_the_rows_of_int_figure_members(sample_work, mart):
    """The trace counts exactly the cells the model lists for the figure (current deliveries), each
    re-read from its raw file, and its own arithmetic on them gives the published value."""
    import duckdb

    keys = MEMBER_FIGURES[mart]
    result = trace(sample_work, mart, **keys)
    assert result.matches, result.mismatches + result.problems
    con = duckdb.connect(str(sample_work / "state" / "warehouse.duckdb"), read_only=True)
    try:
        listed = con.execute(
            "select delivery_file, line_number, column_header, role from intermediate.int_figure_members "
            f"where mart = ? and is_winner and {' and '.join(f'{k} = ?' for k in keys)}",
            [mart, *keys.values()]).fetchall()
    finally:
        con.close()
    traced = [(c["delivery_file"], c["line_number"], c["column_header"], c["role"]) for c in result.cells]
    assert len(traced) == len(set(traced)) and set(traced) == set(listed) and listed
    assert all(c["how_read"] for c in result.cells)  # every one re-read from the raw file


def test_trace_of_a_program_group_in_the_baseline_year(sample_work):
    """A program group's figure in the baseline year itself (index 100) traces: its members are the
    institutions with data in that year, counted once (the trace used to find no members here)."""
    result = trace(sample_work, "program_growth", program="ANY", sector="havo_vwo", measure="instroom",
                   year=2000, participation="non_participants")
    assert result.matches, result.mismatches + result.problems
    assert result.recomputed["index"] == "100.0" and result.members["n_institutions"] > 0
    assert {c["role"] for c in result.cells} == {"figure year"}
