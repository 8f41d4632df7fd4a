"""DUO's complete files (raw-data contract v3, section 11) at ingest: the real value domains, TOTAAL
as the count with unknown gender, DUO's older exam layout, API tables split by gender and the real
W layout. Real files from tests/data/duo_real/ (byte for byte from shared/examples/real/) and small
variation files written for what they do not show (tests/data/duo_variations/)."""

from __future__ import annotations

from pathlib import Path

from pipelines.ingest.datasets import HO_EERSTEJAARS, MBO_EERSTEJAARS, VO_EXAMENKANDIDATEN, sector_from_file_name
from pipelines.ingest.deliveries import read_delivery

DATA = Path(__file__).resolve().parents[1] / "data"
REAL = DATA / "duo_real"
VARIATIONS = DATA / "duo_variations"


def read(spec, path: Path, name: str | None = None):
    return read_delivery(spec, path.read_bytes(), f"duo/{spec.name}/2020-03-01_{name or path.name}")


def at(cells, line: int, header: str):
    row = cells[(cells["line_number"] == line) & (cells["column_header"] == header)]
    assert len(row) == 1, (line, header)
    return row.iloc[0]


# --- 11.2 value domains ------------------------------------------------------------------------------
def test_real_mbo_file_lands_bolvt_boldt_and_groen_without_quarantine():
    r = read(MBO_EERSTEJAARS, REAL / "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_rows1-3000.csv")
    assert r.quarantined.empty
    assert set(r.cells["type_mbo"]) == {"BOLVT", "BOLDT", "BBL"}
    assert "groen" in set(r.cells["mbo_sector"])


def test_real_wo_file_lands_postmaster_as_a_known_type():
    r = read(HO_EERSTEJAARS, REAL / "03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019_rows1-400.csv",
             "03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019.csv")
    assert r.quarantined.empty
    assert set(r.cells["programme_type"]) == {"bachelor", "master", "postmaster"}
    assert set(r.cells["file_sector"]) == {"wo"}


def test_unknown_mbo_sector_is_still_quarantined_naming_the_known_values():
    data = (VARIATIONS / "m2_totaal_smaller.csv").read_bytes().replace(b";groen;", b";groenx;")
    r = read_delivery(MBO_EERSTEJAARS, data, "duo/mbo_eerstejaars/2020-03-01_x.csv")
    reasons = r.quarantined.loc[r.quarantined["line_number"] == 4, "reason"]
    assert len(reasons) == 6 and "MBO SECTOR is not a known value" in reasons.iloc[0] and "groen" in reasons.iloc[0]


def test_api_table_name_tells_the_sector():
    assert sector_from_file_name("duo/ho_eerstejaars/2025-03-01_eerstejaarsingeschrevenenhbo.csv") == "hbo"
    assert sector_from_file_name("duo/ho_gediplomeerden/2025-03-01_gediplomeerdenwo.csv") == "wo"


# --- 11.3 TOTAAL is the count; unknown gender ---------------------------------------------------------
def test_m2_totaal_is_the_count_and_smaller_or_impossible_totals_quarantine_the_row_year():
    r = read(MBO_EERSTEJAARS, VARIATIONS / "m2_totaal_smaller.csv")
    q = r.quarantined
    bad = sorted(map(tuple, q[["line_number", "column_header"]].values.tolist()))
    # line 2, 2019: TOTAAL 10 < MAN + VROUW 11; line 3, 2018: TOTAAL `<5` next to MAN + VROUW 7
    assert bad == [(2, "MAN2019"), (2, "TOTAAL2019"), (2, "VROUW2019"),
                   (3, "MAN2018"), (3, "TOTAAL2018"), (3, "VROUW2018")]
    reason = q.loc[q["column_header"] == "TOTAAL2019", "reason"].iloc[0]
    assert "TOTAAL2019 is 10, less than MAN2019 + VROUW2019 = 11" in reason
    assert "TOTAAL2018 is masked (1-4) but MAN2018 + VROUW2018 = 7" in q.loc[
        q["column_header"] == "TOTAAL2018", "reason"].iloc[0]
    # line 2, 2018: TOTAAL 13 >= 10 + 2: one person of unknown gender, not an error; TOTAAL counts
    total = at(r.cells, 2, "TOTAAL2018")
    assert (total["count_value"], total["in_total"], total["gender"]) == (13, True, "TOTAAL")
    assert not at(r.cells, 2, "MAN2018")["in_total"]
    # line 3, 2019: all masked: cannot be checked, lands
    assert pd_isna(at(r.cells, 3, "TOTAAL2019")["quarantine_reason"])


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_api_table_split_by_gender_lands_onbekend_in_totals():
    r = read(HO_EERSTEJAARS, VARIATIONS / "api_gender_onbekend.csv", "eerstejaarsingeschrevenenhbo.csv")
    assert r.layout == "L" and r.quarantined.empty
    assert r.cells["gender"].tolist() == ["MAN", "VROUW", "ONBEKEND"]
    assert r.cells["in_total"].all()  # no TOTAAL column: every gender row counts in totals
    assert r.cells["is_masked"].tolist() == [False, False, True]


def test_real_exam_file_totaal_larger_than_man_plus_vrouw_is_not_quarantined():
    # lines 623 and 1285 of the real file: TOTAAL > MAN + VROUW (unknown gender, SOURCES.md)
    r = read(VO_EXAMENKANDIDATEN, REAL / "examenkandidaten-en-geslaagden-2019-2024_rows1-1500.csv")
    assert r.quarantined.empty
    for line in (623, 1285):
        row = r.cells[(r.cells["line_number"] == line) & (r.cells["count_value"].notna())]
        by_year = row.groupby(["year", "gender"])["count_value"].sum().unstack()
        assert ((by_year["TOTAAL"] - by_year["MAN"] - by_year["VROUW"]) > 0).any(), line


# --- 11.4 DUO's older exam layout -------------------------------------------------------------------
def test_older_exam_layout_lands_onbekend_totaal_and_dutch_percentages():
    r = read(VO_EXAMENKANDIDATEN, REAL / "06-examenkandidaten-en-geslaagden-2014-2019_rows1-400.csv")
    assert r.layout == "E" and r.quarantined.empty
    assert set(r.cells["gender"]) == {"MAN", "VROUW", "ONBEKEND", "TOTAAL"}
    assert sorted(set(r.cells["year"])) == [2014, 2015, 2016, 2017, 2018]  # 2014-2015 ... 2018-2019
    # line 2: 00AH;00AH00;...;HAVO - N&T;4;4;100,0%;2;2;100,0%;0;0;,0%;6;6;100,0%
    man = at(r.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2014-2015 - MAN")
    assert (man["count_value"], man["slaagperc"], man["vestigingsnummer"], man["instellingscode"]) == (4, "100.0", "00", "00AH")
    assert at(r.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2014-2015 - ONBEKEND")["slaagperc"] == "0.0"
    total = at(r.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2014-2015 - TOTAAL")
    assert (total["count_value"], total["in_total"]) == (6, True)
    assert not at(r.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2014-2015 - ONBEKEND")["in_total"]
    # `VMBO T` without a sector (11.2) lands, not quarantined, with no richting
    alone = r.cells[r.cells["opleidingsnaam"].str.strip() == "VMBO T"]
    assert not alone.empty and alone["richting"].isna().all() and (alone["leerweg"] == "T").all()


# --- 11.2 the real W layout -------------------------------------------------------------------------
def test_real_w_layout_cp1252_trailing_semicolon_and_totalen_footer():
    r = read(HO_EERSTEJAARS, VARIATIONS / "w_real_cp1252_trailing_semicolon.csv", "eerstejaars-wo-2016-2017.csv")
    assert r.layout == "W" and r.quarantined.empty
    assert sorted(set(r.cells["line_number"])) == [2, 3, 4]  # the empty line and `totalen` are footers
    assert set(r.cells["opleidingsfase"]) == {"initiële opleiding", "propedeuse bachelor", "postinitiële opleiding"}
    assert set(r.cells["programme_type"]) == {"ongedeelde opleiding", "bachelor", "postmaster"}
    assert r.cells["sector"].isna().all() and set(r.cells["file_sector"]) == {"wo"}
    masked = at(r.cells, 3, "2016 VROUW")
    assert bool(masked["is_masked"]) and pd_isna(masked["count_value"])


def test_real_legacy_w_excerpt_lands_whole():
    r = read(HO_EERSTEJAARS, REAL / "eerstejaars-wo-2013-2017-legacy-wide_rows1-100-and-footer.csv",
             "eerstejaars-wo-2013-2017.csv")
    assert r.layout == "W" and r.quarantined.empty
    assert r.cells["line_number"].nunique() == 100 and len(r.cells) == 100 * 5 * 2
