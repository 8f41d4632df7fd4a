"""The shipped sample (raw/) reproduces the source document's HO figures through the real job."""

from __future__ import annotations

import csv
import hashlib
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.paths import REPO_ROOT
from tests.conftest import figure, read_published

SEED_FIGURES = Path(REPO_ROOT.parent / "shared" / "reference" / "seed_figures.csv")
HO_FIGURES = {  # figure_id -> (sector, measure, year, reported growth in whole percent)
    "ho_instroom_hbo": ("hbo", "instroom", 2007, -4),
    "ho_instroom_wo": ("wo", "instroom", 2007, 37),
    "ho_instroom_ho": ("ho", "instroom", 2007, 10),
    "ho_uitstroom_hbo": ("hbo", "uitstroom", 2007, -5),
    "ho_uitstroom_wo": ("wo", "uitstroom", 2007, 39),
    "ho_uitstroom_ho": ("ho", "uitstroom", 2007, 8),
}


def whole_percent(text: str) -> int:
    """The source document rounds to whole percents (half away from zero)."""
    return int(Decimal(text).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def sample_publication(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("sample")
    code = main(["run", "--raw-dir", str(REPO_ROOT / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "warehouse.duckdb")])
    assert code == 0
    return work / "published"


def test_expected_figures_match_the_shared_reference_file():
    if not SEED_FIGURES.exists():
        pytest.skip("shared/reference/seed_figures.csv is not beside this checkout")
    with SEED_FIGURES.open(encoding="utf-8") as fh:
        reference = {r["figure_id"]: r for r in csv.DictReader(fh, delimiter=";")}
    for figure_id, (sector, measure, year, reported) in HO_FIGURES.items():
        row = reference[figure_id]
        assert (row["sector"], row["measure"], int(row["year"]), int(row["reported"])) == \
            (sector, measure, year, reported)


@pytest.mark.parametrize("figure_id", sorted(HO_FIGURES))
def test_sample_reproduces_ho_seed_figure(sample_publication, figure_id):
    sector, measure, year, reported = HO_FIGURES[figure_id]
    _, rows = read_published(sample_publication)
    row = figure(rows, sector, measure, year)
    assert whole_percent(row["growth_pct"]) == reported
    assert row["baseline_year"] == "2000"


def test_hbo_instroom_grows_once_informatica_is_left_out(sample_publication):
    _, rows = read_published(sample_publication)
    assert Decimal(figure(rows, "hbo", "instroom_excl_informatica", 2007)["growth_pct"]) > 0
    assert Decimal(figure(rows, "hbo", "instroom", 2007)["growth_pct"]) < 0


def test_shipped_sample_is_what_the_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(REPO_ROOT / "scripts" / "generate_sample_data.py"),
                    "--raw-dir", str(tmp_path)], check=True, capture_output=True)
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert generated, "the generator wrote nothing"
    for rel in generated:
        shipped = REPO_ROOT / "raw" / rel
        assert hashlib.sha256(shipped.read_bytes()).digest() == hashlib.sha256((tmp_path / rel).read_bytes()).digest(), rel
