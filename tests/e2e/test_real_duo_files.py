"""DUO's own files, byte for byte (tests/data/duo_real/, copied from shared/examples/real/), through
the real Dagster job: layout G (hbo 03b), M2 (mbo 03) and the exam-candidates file (contract 10.2-10.5).

The raw directory holds the three excerpts under DUO's own file names with a date prefix, and a small
reference (tests/data/real_reference/): two informatica codes in the CROHO classification (every other
programme is classified by its onderdeel, whole value) and the institutions with their soort. The
run uses `--baseline-year 2015` (contract 10.6): the exam file starts in 2019, so its series publish
values with empty index and growth.

Hand calculations (from the excerpts, as a reader with a spreadsheet would do them):

hbo instroom (03b, layout G, one row per gender, columns 2015..2019):
  counted rows: CROHO ONDERDEEL `techniek` (no `natuur` rows; `landbouw en natuurlijke omgeving` is not
  `natuur`) and TYPE HOGER ONDERWIJS bachelor / associate degree: 35 rows (man and vrouw lines);
  the 6 `master` rows (M Smart Systems Engineering and two others) are landed but not counted.
  2015: 31+3 (B Elektrotechniek 25BE) + ... over the 35 rows = 335; 2019: 450.
  informatica (30020 B HBO-ICT and 34479 B Informatica, 4 rows): 2015 126, 2019 186
  -> instroom_excl_informatica 2015 = 335 - 126 = 209, 2019 = 450 - 186 = 264.
  index 2019 = 100 x 450 / 335 = 134.328... -> 134.3, growth 34.3; 2019 is the newest year: provisional.
  women 2019: the 35 rows' vrouw lines sum to 76 -> share 100 x 76 / 450 = 16.888... -> 16.9.
  ho = hbo + wo; the file is hbo only (its institutions are soort hbo), so ho = hbo.
mbo instroom (03 deelnemers, layout M2, MAN2015;VROUW2015;TOTAAL2015;...):
  MBO SECTOR `techniek` rows, MAN + VROUW (empty cells = no data = 0); every TOTAAL agrees:
  2015: 405, 2019: 853 -> index 100 x 853 / 405 = 210.617... -> 210.6.
vo exam candidates (every field quoted, UTF-8 without BOM, `<5` = 2.5); TOTAAL is the count (contract
11.3: it includes unknown gender), so each figure sums the `- TOTAAL` column:
  vmbo uitstroom 2019 (schooljaar 2019-2020): `VMBO B/K/G/LWT - techniek`, 5 rows, 2 masked: 72.0
  (low 69, high 75); uitstroom_tl (`VMBO T - techniek`, 6 rows, none masked): 96.
  havo uitstroom 2019 (`HAVO - ...` with N&T or N&G, 17 rows): 165.0; vwo 2019 (14 rows, 4 masked):
  111.0; havo_vwo = 276.0; vwo 2023: 132.5. No 2015 data: index empty.
  (Computed with the csv module over the file; the same sums of MAN + VROUW were 77.5 / 93 / 164 / 114.)
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import figure, read_published

DATA = Path(__file__).resolve().parents[1] / "data"
REAL = DATA / "duo_real"
VARIATIONS_DIR = DATA / "duo_variations"
SHARED_REAL = Path(__file__).resolve().parents[3] / "shared" / "examples" / "real"

DELIVERIES = {
    "ho_eerstejaars/2020-03-01_03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv":
        "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019_excerpt.csv",
    "mbo_eerstejaars/2020-03-01_03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019.csv":
        "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_excerpt.csv",
    "vo_examenkandidaten/2024-10-01_examenkandidaten-en-geslaagden-2019-2024.csv":
        "examenkandidaten-en-geslaagden-2019-2024_excerpt.csv",
}


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("real")
    raw = root / "raw"
    for target, source in DELIVERIES.items():
        (raw / "duo" / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REAL / source, raw / "duo" / target)
    shutil.copytree(DATA / "real_reference", raw / "reference")
    publish = root / "published"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["run", "--raw-dir", str(raw), "--publish-dir", str(publish),
                     "--warehouse", str(root / "state" / "w.duckdb"), "--baseline-year", "2015"])
    real_run_output[:] = [out.getvalue()]
    return code, publish


real_run_output: list[str] = []  # the module run's summary line, printed by `betamonitor run`


def test_the_excerpts_are_duo_bytes_unchanged():
    if not SHARED_REAL.is_dir():
        pytest.skip(f"{SHARED_REAL} is not beside this clone: nothing to compare with")
    for source in DELIVERIES.values():
        assert (REAL / source).read_bytes() == (SHARED_REAL / source).read_bytes(), source


def test_real_files_publish_with_exit_0(real_run):
    code, publish = real_run
    assert code == 0
    catalog = json.loads((publish / "catalog.json").read_text())
    assert {"sector_growth", "gender_shares", "institution_growth"} <= set(catalog["marts"])


@pytest.mark.parametrize("sector, measure, year, value, index, growth, provisional", [
    ("hbo", "instroom", 2015, "335.0", "100.0", "0.0", "false"),
    ("hbo", "instroom", 2019, "450.0", "134.3", "34.3", "true"),
    ("ho", "instroom", 2019, "450.0", "134.3", "34.3", "true"),
    ("hbo", "instroom_excl_informatica", 2015, "209.0", "100.0", "0.0", "false"),
    ("hbo", "instroom_excl_informatica", 2019, "264.0", "126.3", "26.3", "true"),
    ("mbo", "instroom", 2015, "405.0", "100.0", "0.0", "false"),
    ("mbo", "instroom", 2019, "853.0", "210.6", "110.6", "true"),
    ("vmbo", "uitstroom", 2019, "72.0", "", "", "false"),
    ("vmbo", "uitstroom_tl", 2019, "96.0", "", "", "false"),
    ("havo", "uitstroom", 2019, "165.0", "", "", "false"),
    ("vwo", "uitstroom", 2019, "111.0", "", "", "false"),
    ("havo_vwo", "uitstroom", 2019, "276.0", "", "", "false"),
    ("vwo", "uitstroom", 2023, "132.5", "", "", "true"),
])
def test_published_figures_equal_the_hand_calculation(real_run, sector, measure, year, value, index, growth,
                                                      provisional):
    _, publish = real_run
    _, rows = read_published(publish)
    row = figure(rows, sector, measure, year)
    assert (row["value"], row["index"], row["growth_pct"], row["is_provisional"]) == (value, index, growth,
                                                                                     provisional)
    assert row["baseline_year"] == "2015"


def test_masked_exam_cells_give_bounds(real_run):
    _, publish = real_run
    _, rows = read_published(publish)
    row = figure(rows, "vmbo", "uitstroom", 2019)
    # TOTAAL is the count (contract 11.3): 2 masked TOTAAL cells: value 72.0 = unmasked 67 + 2 x 2.5;
    # low 67 + 2 x 1, high 67 + 2 x 4
    assert (row["n_masked_cells"], row["value_low"], row["value_high"]) == ("2", "69", "75")


def test_share_of_women_in_hbo_instroom(real_run):
    _, publish = real_run
    _, rows = read_published(publish, "gender_shares")
    [row] = [r for r in rows if (r["indicator"], r["sector"], r["measure"], r["year"]) ==
             ("share_women", "hbo", "instroom", "2019")]
    assert row["share_pct"] == "16.9"


def test_metadata_says_what_was_left_out_and_why(real_run):
    _, publish = real_run
    catalog = json.loads((publish / "catalog.json").read_text())
    meta = json.loads((publish / catalog["marts"]["sector_growth"]["metadata"]).read_text())
    [masters] = meta["cells_not_counted_by_type"]
    # 6 master rows x 5 year columns
    assert (masters["dataset"], masters["programme_type"], masters["n_cells"]) == ("ho_eerstejaars", "master", 30)
    assert meta["baseline_year"] == 2015
    no_baseline = [f for f in meta["footnotes"] if "geen gegevens over het basisjaar 2015" in f]
    assert {f.split(":")[0] for f in no_baseline} == {
        "Havo, uitstroom", "Vwo, uitstroom", "Havo en vwo, uitstroom", "Vmbo, uitstroom",
        "Vmbo, uitstroom theoretische leerweg"}
    layouts = {i["path"].split("/")[1]: i["layout"] for i in meta["inputs"] if i["kind"] == "delivery"}
    assert layouts == {"ho_eerstejaars": "G", "mbo_eerstejaars": "M2", "vo_examenkandidaten": "E"}


def test_run_summary_names_excluded_types_and_missing_baselines(real_run):
    [out] = real_run_output
    assert "not counted: 30 cells of type 'master' in ho_eerstejaars" in out
    # the missing baselines are one reason, folded over the series (the report lists every series)
    assert "no data in baseline year 2015 for 5 series (" in out


def _trace(publish: Path, where: str, capsys, *extra: str) -> tuple[int, str]:
    root = publish.parent
    code = main(["trace", "sector_growth", "--where", where, "--raw-dir", str(root / "raw"),
                 "--publish-dir", str(publish), "--warehouse", str(root / "state" / "w.duckdb"), *extra])
    return code, capsys.readouterr().out


def test_trace_of_a_g_layout_figure_shows_the_rows_left_out_by_type(real_run, capsys):
    _, publish = real_run
    code, out = _trace(publish, "sector=hbo,measure=instroom,year=2019", capsys)
    assert code == 0, out
    assert "growth_pct = 34.3: matches the published value" in out
    # M Smart Systems Engineering (25BE, lines 6 and 7 of the excerpt) is bèta/techniek but a master
    left_out = out.split("Rows left out by programme/diploma type", 1)[1].split("Raw cells", 1)[0]
    assert ":6 '2019' '11'" in left_out and ":7 '2019' '4'" in left_out and "master:" in left_out


def test_trace_of_an_exam_figure_without_baseline_recomputes_its_value(real_run, capsys):
    _, publish = real_run
    code, out = _trace(publish, "sector=vwo,measure=uitstroom,year=2019", capsys, "--column", "value")
    assert code == 0, out
    assert "no data in the baseline year 2015" in out
    assert "value = 111.0: matches the published value" in out
    assert "Raw cells (14)" in out  # 14 rows x TOTAAL (the count, contract 11.3)


def test_bad_input_in_the_new_layouts_keeps_the_last_good_publication(tmp_path):
    """Contract 9 on layouts M2 and G: a TOTAAL smaller than MAN + VROUW (11.3) in a techniek row
    quarantines that row-year and the gate blocks the mbo figures it holds back (exit 2); an
    unreadable file is rejected whole with file, line and reason (exit 1). The last good publication
    stays current both times."""
    raw = tmp_path / "raw"
    mbo = raw / "duo" / "mbo_eerstejaars"
    mbo.mkdir(parents=True)
    shutil.copyfile(REAL / DELIVERIES[next(k for k in DELIVERIES if k.startswith("mbo"))],
                    mbo / "2020-03-01_03-deelnemers-mbo-2015-2019.csv")
    shutil.copytree(DATA / "real_reference", raw / "reference")
    publish, warehouse = tmp_path / "published", tmp_path / "state" / "w.duckdb"
    args = ["run", "--raw-dir", str(raw), "--publish-dir", str(publish), "--warehouse", str(warehouse),
            "--baseline-year", "2015"]
    assert main(args) == 0
    first = json.loads((publish / "catalog.json").read_text())["marts"]["sector_growth"]["version"]

    # A restatement whose line 13 (Schilder, techniek) says TOTAAL2016 = 17 while MAN2016 + VROUW2016 = 18 + 1.
    good = (REAL / DELIVERIES[next(k for k in DELIVERIES if k.startswith("mbo"))]).read_bytes()
    bad = good.replace(b";;;;18;1;19;33;2;35;", b";;;;18;1;17;33;2;35;", 1)
    assert bad != good
    (mbo / "2021-03-01_03-deelnemers-mbo-2016-2020.csv").write_bytes(bad)
    assert main(args) == 2
    assert json.loads((publish / "catalog.json").read_text())["marts"]["sector_growth"]["version"] == first
    report_path = next((tmp_path / "state" / "reports").rglob("quarantine_mbo_eerstejaars.csv"))
    report = report_path.read_text()
    assert '2021-03-01_03-deelnemers-mbo-2016-2020.csv,13,MAN2016,18,"TOTAAL2016 is 17, less than MAN2016 + ' \
        'VROUW2016 = 19"' in report
    # the held-back figure, per quarantined cell (contract 11.6)
    holds = (report_path.parent / "quarantine_holds.csv").read_text()  # the same run's
    assert '2021-03-01_03-deelnemers-mbo-2016-2020.csv,13,TOTAAL2016,17,"TOTAAL2016 is 17, less than MAN2016 + ' \
        'VROUW2016 = 19",mbo instroom 2016' in holds

    # A G file that lost its GESLACHT column cannot be read as any HO layout: rejected whole.
    ho = raw / "duo" / "ho_eerstejaars"
    ho.mkdir(parents=True)
    g = (VARIATIONS_DIR / "g_utf8_bom_lf.csv").read_bytes().replace(b"GESLACHT", b"GESLACH")
    (ho / "2021-03-01_03b-eerstejaars-hbo-2020.csv").write_bytes(g)
    assert main(args) in (1, 2)  # rejected file (1); the mbo quarantine still blocks (2)
    assert json.loads((publish / "catalog.json").read_text())["marts"]["sector_growth"]["version"] == first
    import duckdb
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(line, reason)] = con.execute("select line, reason from landing.rejections "
                                       "where delivery_file like '%03b-eerstejaars-hbo-2020.csv'").fetchall()
        assert line == 1 and "GESLACHT" in reason
        assert con.execute("select count(*) from landing.ho_eerstejaars").fetchone()[0] == 0


def test_two_deliveries_of_one_date_holding_the_same_sector_and_year_fail_naming_both(tmp_path, capsys):
    """Contract 11.1: hbo and wo files of one date are two series (fine); two hbo files of one date
    holding the same years cannot be ranked: the run fails naming both files, nothing is guessed."""
    raw = tmp_path / "raw"
    ho = raw / "duo" / "ho_eerstejaars"
    ho.mkdir(parents=True)
    g = (VARIATIONS_DIR / "g_utf8_bom_lf.csv").read_bytes()
    (ho / "2020-03-01_03b-eerstejaars-hbo-2019.csv").write_bytes(g)
    (ho / "2020-03-01_03b-eerstejaars-hbo-2019-resent.csv").write_bytes(g.replace(b";12;", b";13;", 1))
    shutil.copytree(DATA / "real_reference", raw / "reference")
    code = main(["run", "--raw-dir", str(raw), "--publish-dir", str(tmp_path / "published"),
                 "--warehouse", str(tmp_path / "state" / "w.duckdb"), "--baseline-year", "2018"])
    out = capsys.readouterr().out
    assert code == 1
    assert ("dbt build failed: model int_delivery_years: deliveries duo/ho_eerstejaars/2020-03-01_03b-eerstejaars-"
            "hbo-2019-resent.csv and duo/ho_eerstejaars/2020-03-01_03b-eerstejaars-hbo-2019.csv have the same date "
            "2020-03-01") in out
    assert not (tmp_path / "published" / "catalog.json").exists()
