"""DUO's complete files (contract v3, section 11) through the real job, every published `sector_growth`
figure checked against an independent calculation (tests/e2e/_independent_duo.py: plain Python and the
csv module over the raw files, nothing imported from the pipeline).

The files are byte-for-byte copies of shared/examples/real/ in tests/data/duo_real/ (SOURCES.md there).
Three job runs, module-scoped:

Run A, the files as DUO publishes them, side by side (reference: tests/data/real_reference/, two
informatica codes in the CROHO classification, institutions with their soort):
  duo/ho_eerstejaars/2020-03-01_03b-…-hbo-domein-hbo-2019.csv      complete, hbo 2015-2019 (layout G)
  duo/ho_eerstejaars/2020-03-01_03b-…-wo-domein-wo-2019.csv        rows 1-400, wo 2015-2019: same date,
                                                                    other sector: no ranking needed (11.1)
  duo/ho_eerstejaars/2025-03-01_api-eerstejaarsingeschrevenenhbo-2020-2024.csv   rows 1-400, hbo 2020
  duo/ho_gediplomeerden/2019-03-01_05-gediplomeerden-hbo-2019.csv  complete, hbo 2014-2018 (SOORT DIPLOMA)
  duo/mbo_eerstejaars/2020-03-01_03-deelnemers-…-mbo-2015-2019.csv rows 1-3000 (M2, TOTAAL counts, 11.3)
  duo/vo_examenkandidaten/2019-11-01_06-examenkandidaten-…-2014-2019.csv   rows 1-400, older layout (11.4)
  duo/vo_examenkandidaten/2024-11-01_examenkandidaten-…-2019-2024.csv      rows 1-1500, current layout (10.5)
  - A2015: `--baseline-year 2015`;  - A2000: no `--baseline-year` (2000: no series has its baseline, so
  every baseline_value, index and growth_pct is empty), a second run of the same raw directory into
  another warehouse and publish directory.
Run B (B2013): the legacy W excerpt alone (duo/ho_eerstejaars/2018-03-01_eerstejaars-wo-2013-2017.csv,
wo by its file name, trailing `;`, `totalen` footer), `--baseline-year 2013`.

Hand check: figures of the independent calculator, each recomputed a second way with awk over the
repository copies (`tr -d '\\r' < FILE | awk -F';' ...`):

  hbo instroom 2015 (03b hbo, CROHO ONDERDEEL techniek/natuur or a classified bèta code, TYPE bachelor /
    associate degree, man + vrouw rows, column 2015):     calculator 20058.0   awk 20058
  hbo instroom 2019:                                       calculator 23261.0   awk 23261
    -> index (baseline 2015) 100 x 23261 / 20058 = 115.97 -> 116.0, growth 16.0, provisional
  hbo instroom_excl_informatica 2015 (without 30020, 34479): calculator 15906.0   awk 15906
  hbo instroom 2020 (API table, 400 rows, 5 cells `-1`):   calculator 5032.5    awk 5032.5 (5 masked)
  hbo uitstroom 2015 (05, SOORT DIPLOMA hbo bachelor / hbo associate degree): calculator 11725.0  awk 11725
  mbo instroom 2015 (MBO SECTOR techniek, TOTAAL2015):     calculator 26253.0   awk 26253
  mbo instroom 2019 (TOTAAL2019):                          calculator 27032.0   awk 27032
  share of women, mbo instroom 2015: VROUW2015 6065 / (MAN + VROUW) 26253 = 23.10% -> 23.1 (awk 0.231021)
  share of women, hbo instroom 2019: vrouw 5394 / 23261 = 23.19% -> 23.2 (awk 0.23189)
  vmbo uitstroom 2015 (06 file, VMBO B/K/G/LWT - techniek, TOTAAL): calculator 195.0   awk 195
  vmbo uitstroom 2019 (10.5 file, TOTAAL 2019-2020, 20 cells `<5`): calculator 1549.0 (low 1519, high
    1579)   awk 1549 with 20 masked
  vmbo uitstroom_tl: the 06 file's `VMBO T - <sector>` TOTAAL sums 0, 0, 0, 0 in 2014-2017 (awk), so
    those years are not available (11.2) and the series has no 2015 baseline; 2018: calculator 219.0,
    awk 219 (42 `VMBO T` candidates without a sector left out)
  wo instroom 2015 (03b wo rows 1-400, bachelor, natuur/techniek): calculator 624.0   awk 624; 2019: 800 / 800
  Run B wo instroom 2013 (W, `2013 MAN` + `2013 VROUW`):   calculator 541.0     awk 541; 2017: 672 / 672

Known decisions of the calculator (its docstring): ho = hbo + wo over the years either has (so ho
2020 = hbo 2020 from the API table), provisional when a part is; a vmbo uitstroom_tl year that is not
available may be absent or published with an empty value, never 0.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import figure, read_published
from tests.e2e._independent_duo import PUBLISHED_SERIES, compute

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"
REAL = DATA / "duo_real"
REFERENCE = DATA / "real_reference"
SHARED_REAL = Path(__file__).resolve().parents[3] / "shared" / "examples" / "real"

RUN_A = {
    "ho_eerstejaars/2020-03-01_03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv":
        "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv",
    "ho_eerstejaars/2020-03-01_03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019.csv":
        "03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019_rows1-400.csv",
    "ho_eerstejaars/2025-03-01_api-eerstejaarsingeschrevenenhbo-2020-2024.csv":
        "api-eerstejaarsingeschrevenenhbo-2020-2024_rows1-400.csv",
    "ho_gediplomeerden/2019-03-01_05-gediplomeerden-hbo-2019.csv":
        "05-gediplomeerden-hbo-2019.csv",
    "mbo_eerstejaars/2020-03-01_03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019.csv":
        "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_rows1-3000.csv",
    "vo_examenkandidaten/2019-11-01_06-examenkandidaten-en-geslaagden-2014-2019.csv":
        "06-examenkandidaten-en-geslaagden-2014-2019_rows1-400.csv",
    "vo_examenkandidaten/2024-11-01_examenkandidaten-en-geslaagden-2019-2024.csv":
        "examenkandidaten-en-geslaagden-2019-2024_rows1-1500.csv",
}
RUN_B = {
    "ho_eerstejaars/2018-03-01_eerstejaars-wo-2013-2017.csv":
        "eerstejaars-wo-2013-2017-legacy-wide_rows1-100-and-footer.csv",
}
COPIES = sorted(set(RUN_A.values()) | set(RUN_B.values()))


def _raw(root: Path, deliveries: dict[str, str]) -> Path:
    raw = root / "raw"
    for target, source in deliveries.items():
        (raw / "duo" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL / source, raw / "duo" / target)
    shutil.copytree(REFERENCE, raw / "reference")
    return raw


def _run(raw: Path, root: Path, *extra: str) -> dict:
    publish = root / "published"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", "--raw-dir", str(raw), "--publish-dir", str(publish),
                     "--warehouse", str(root / "state" / "w.duckdb"), *extra])
    return {"code": code, "publish": publish, "out": out.getvalue()}


@pytest.fixture(scope="module")
def raw_a(tmp_path_factory) -> Path:
    return _raw(tmp_path_factory.mktemp("complete_a"), RUN_A)


@pytest.fixture(scope="module")
def raw_b(tmp_path_factory) -> Path:
    return _raw(tmp_path_factory.mktemp("complete_b"), RUN_B)


@pytest.fixture(scope="module")
def calc_a(raw_a):
    return compute(raw_a)


@pytest.fixture(scope="module")
def calc_b(raw_b):
    return compute(raw_b)


@pytest.fixture(scope="module")
def run_a2015(raw_a):
    return _run(raw_a, raw_a.parent / "baseline2015", "--baseline-year", "2015")


@pytest.fixture(scope="module")
def run_a2000(raw_a):
    return _run(raw_a, raw_a.parent / "default_baseline")


@pytest.fixture(scope="module")
def run_b2013(raw_b):
    return _run(raw_b, raw_b.parent / "baseline2013", "--baseline-year", "2013")


RUNS = {"A2015": ("run_a2015", "calc_a", 2015), "A2000": ("run_a2000", "calc_a", 2000),
        "B2013": ("run_b2013", "calc_b", 2013)}


def _published_vs_expected(request, run_name: str):
    run_fixture, calc_fixture, baseline = RUNS[run_name]
    run = request.getfixturevalue(run_fixture)
    assert run["code"] == 0, run["out"][-3000:]
    calc = request.getfixturevalue(calc_fixture)
    _, rows = read_published(run["publish"])
    published = {}
    for r in rows:
        key = (r["sector"], r["measure"], int(r["year"]))
        assert key not in published, f"two published rows for {key}"
        published[key] = r
    return published, calc.rows(baseline), baseline


def _same_number(published: str, expected: str) -> bool:
    if expected == "":
        return published == ""
    return published != "" and Decimal(published) == Decimal(expected)


# ------------------------------------------------------------------------------ the copies and the calculator

def test_the_copies_are_duo_bytes_unchanged():
    if not SHARED_REAL.is_dir():
        pytest.skip(f"{SHARED_REAL} is not beside this clone: nothing to compare with")
    for name in COPIES:
        assert (REAL / name).read_bytes() == (SHARED_REAL / name).read_bytes(), name


def test_the_calculators_series_are_the_seeds():
    with (REPO / "dbt_project" / "seeds" / "growth_targets.csv").open(encoding="utf-8", newline="") as fh:
        seed = {(r["sector"], r["measure"]) for r in csv.DictReader(fh)}
    assert PUBLISHED_SERIES == seed


def test_the_calculator_finds_no_row_to_quarantine(calc_a, calc_b):
    # Every TOTAAL >= MAN + VROUW where all three are unmasked; no masked TOTAAL beside MAN + VROUW >= 5.
    assert calc_a.quarantined == [] and calc_b.quarantined == []


@pytest.mark.parametrize("run_name, sector, measure, year, value, low, high, masked, index", [
    ("A2015", "hbo", "instroom", 2015, "20058.0", "20058", "20058", "0", "100.0"),
    ("A2015", "hbo", "instroom", 2019, "23261.0", "23261", "23261", "0", "116.0"),
    ("A2015", "hbo", "instroom_excl_informatica", 2015, "15906.0", "15906", "15906", "0", "100.0"),
    ("A2015", "hbo", "instroom", 2020, "5032.5", "5025", "5040", "5", "25.1"),
    ("A2015", "hbo", "uitstroom", 2015, "11725.0", "11725", "11725", "0", "100.0"),
    ("A2015", "mbo", "instroom", 2015, "26253.0", "26253", "26253", "0", "100.0"),
    ("A2015", "mbo", "instroom", 2019, "27032.0", "27032", "27032", "0", "103.0"),
    ("A2015", "vmbo", "uitstroom", 2015, "195.0", "195", "195", "0", "100.0"),
    ("A2015", "vmbo", "uitstroom", 2019, "1549.0", "1519", "1579", "20", "794.4"),
    ("A2015", "vmbo", "uitstroom_tl", 2018, "219.0", "219", "219", "0", ""),
    ("A2015", "wo", "instroom", 2015, "624.0", "624", "624", "0", "100.0"),
    ("A2015", "wo", "instroom", 2019, "800.0", "800", "800", "0", "128.2"),
    ("B2013", "wo", "instroom", 2013, "541.0", "541", "541", "0", "100.0"),
    ("B2013", "wo", "instroom", 2017, "672.0", "672", "672", "0", "124.2"),
])
def test_the_calculator_gives_the_hand_checked_figures(request, run_name, sector, measure, year, value, low,
                                                       high, masked, index):
    _, calc_fixture, baseline = RUNS[run_name]
    row = request.getfixturevalue(calc_fixture).rows(baseline)[(sector, measure, year)]
    assert (row["value"], row["value_low"], row["value_high"], row["n_masked_cells"], row["index"]) == (
        value, low, high, masked, index)


def test_the_calculator_has_no_tl_figure_before_duo_stated_sectors(calc_a):
    rows = calc_a.rows(2015)
    assert [y for y in range(2014, 2024) if rows[("vmbo", "uitstroom_tl", y)]["available"] == "false"] == [
        2014, 2015, 2016, 2017]


# ------------------------------------------------------------------------------------------ the job runs

@pytest.mark.parametrize("run_name", RUNS)
def test_the_run_exits_0(request, run_name):
    run = request.getfixturevalue(RUNS[run_name][0])
    assert run["code"] == 0, run["out"][-3000:]


@pytest.mark.parametrize("run_name", RUNS)
def test_the_published_rows_are_the_calculated_rows(request, run_name):
    published, expected, _ = _published_vs_expected(request, run_name)
    available = {k for k, r in expected.items() if r["available"] == "true"}
    not_available = set(expected) - available
    # A not-available figure (vmbo uitstroom_tl before 2018) may be published only with an empty value.
    extra_not_available = {k for k in set(published) & not_available if published[k]["value"] != ""}
    missing = sorted(available - set(published))
    extra = sorted(set(published) - set(expected))
    assert (missing, extra, sorted(extra_not_available)) == ([], [], []), (
        f"missing (calculated, not published): {missing}\nextra (published, not calculated): {extra}\n"
        f"published with a value but not available (11.2): "
        f"{[(k, published[k]['value']) for k in sorted(extra_not_available)]}")


COLUMN_GROUPS = {
    "values": ("value", "value_low", "value_high", "n_masked_cells"),
    "baseline_index_growth": ("baseline_value", "index", "growth_pct"),
    "provisional": ("is_provisional",),
}


@pytest.mark.parametrize("columns", COLUMN_GROUPS)
@pytest.mark.parametrize("run_name", RUNS)
def test_every_published_figure_equals_the_calculation(request, run_name, columns):
    published, expected, baseline = _published_vs_expected(request, run_name)
    wrong = []
    for key, exp in sorted(expected.items()):
        pub = published.get(key)
        if pub is None or exp["available"] == "false":
            if pub is not None and columns == "baseline_index_growth":
                wrong += [(key, c, pub[c], "") for c in ("index", "growth_pct") if pub[c] != ""]
            continue
        for c in COLUMN_GROUPS[columns]:
            ok = pub[c] == exp[c] if c == "is_provisional" else _same_number(pub[c], exp[c])
            if not ok:
                wrong.append((key, c, pub[c], exp[c]))
        if columns == "baseline_index_growth" and pub["baseline_year"] != str(baseline):
            wrong.append((key, "baseline_year", pub["baseline_year"], str(baseline)))
    assert wrong == [], "(figure, column, published, expected):\n" + "\n".join(map(str, wrong))


@pytest.mark.parametrize("sector, measure, year, value, index, growth, provisional", [
    ("hbo", "instroom", 2015, "20058.0", "100.0", "0.0", "false"),
    ("hbo", "instroom", 2019, "23261.0", "116.0", "16.0", "true"),
    ("hbo", "instroom_excl_informatica", 2015, "15906.0", "100.0", "0.0", "false"),
    ("hbo", "instroom", 2020, "5032.5", "25.1", "-74.9", "true"),
    ("hbo", "uitstroom", 2015, "11725.0", "100.0", "0.0", "false"),
    ("mbo", "instroom", 2015, "26253.0", "100.0", "0.0", "false"),
    ("mbo", "instroom", 2019, "27032.0", "103.0", "3.0", "true"),
    ("vmbo", "uitstroom", 2015, "195.0", "100.0", "0.0", "false"),
    ("vmbo", "uitstroom", 2019, "1549.0", "794.4", "694.4", "false"),
    ("vmbo", "uitstroom_tl", 2018, "219.0", "", "", "true"),
    ("wo", "instroom", 2019, "800.0", "128.2", "28.2", "true"),
])
def test_hand_checked_figures_are_published(run_a2015, sector, measure, year, value, index, growth, provisional):
    assert run_a2015["code"] == 0, run_a2015["out"][-3000:]
    _, rows = read_published(run_a2015["publish"])
    row = figure(rows, sector, measure, year)
    assert (row["value"], row["index"], row["growth_pct"], row["is_provisional"]) == (value, index, growth,
                                                                                     provisional)


def test_without_a_baseline_run_every_series_has_empty_index(run_a2000):
    assert run_a2000["code"] == 0, run_a2000["out"][-3000:]
    _, rows = read_published(run_a2000["publish"])
    assert rows
    assert {(r["baseline_year"], r["baseline_value"], r["index"], r["growth_pct"]) for r in rows} == {
        ("2000", "", "", "")}


@pytest.mark.parametrize("sector", ["hbo", "mbo"])
def test_share_of_women_in_instroom(run_a2015, calc_a, sector):
    """share_women = vrouw / (man + vrouw), unknown gender and cells without gender left out (11.3)."""
    assert run_a2015["code"] == 0, run_a2015["out"][-3000:]
    _, rows = read_published(run_a2015["publish"], "gender_shares")
    published = {int(r["year"]): r["share_pct"] for r in rows
                 if (r["indicator"], r["sector"], r["measure"], r["school_group"]) ==
                 ("share_women", sector, "instroom", "all schools")}
    expected = {y: v for (s, m, y), v in calc_a.share_women().items() if (s, m) == (sector, "instroom")}
    assert set(expected) == {2015, 2016, 2017, 2018, 2019}  # no GESLACHT in the API table: no 2020 share
    # A year without gender data (hbo 2020) has no share, or an empty one.
    assert {y: v for y, v in published.items() if v != ""} == expected
    if sector == "hbo":
        assert expected[2019] == "23.2"
    else:
        assert expected[2015] == "23.1"
