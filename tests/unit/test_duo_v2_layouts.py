"""DUO's current layouts (raw-data contract 10): the real excerpts and the variations they do not show
(tests/data/duo_variations/, small files written for these tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.ingest.datasets import (
    HO_EERSTEJAARS,
    HO_GEDIPLOMEERDEN,
    MBO_EERSTEJAARS,
    VO_EXAMENKANDIDATEN,
    sector_from_file_name,
)
from pipelines.ingest.deliveries import read_delivery
from pipelines.ingest.errors import RejectedFile

DATA = Path(__file__).resolve().parents[1] / "data"
REAL = DATA / "duo_real"
VARIATIONS = DATA / "duo_variations"


def read(spec, path: Path, name: str | None = None):
    display = f"duo/{spec.name}/2020-03-01_{name or path.name}"
    return read_delivery(spec, path.read_bytes(), display)


def cells_at(read_result, line: int):
    return read_result.cells[read_result.cells["line_number"] == line]


# --- HO layout G --------------------------------------------------------------------------------------
def test_real_03b_excerpt_is_layout_g_with_programme_types():
    r = read(HO_EERSTEJAARS, REAL / "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019_excerpt.csv",
             "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv")
    assert r.layout == "G" and r.quarantined.empty
    assert len(r.cells) == 200 * 5  # 200 gender rows x 2015..2019
    first = cells_at(r, 2)
    assert first["year"].tolist() == [2015, 2016, 2017, 2018, 2019]
    assert first["count_value"].tolist() == [31, 36, 25, 25, 1]
    assert set(first["gender"]) == {"MAN"} and set(cells_at(r, 3)["gender"]) == {"VROUW"}
    assert set(r.cells["programme_type"]) == {"bachelor", "master", "associate degree"}
    # the row states no sector (TYPE is the programme type): dbt resolves it; the file name says hbo
    assert r.cells["sector"].isna().all() and set(r.cells["file_sector"]) == {"hbo"}
    assert set(first["opleidingsvorm"]) == {"VT"}  # `voltijd onderwijs`


@pytest.mark.parametrize("name", ["g_cp1252_crlf.csv", "g_utf8_bom_lf.csv"])
def test_g_file_in_cp1252_or_utf8_bom_keeps_fryslan_and_reads_masks_and_empty_cells(name):
    r = read(HO_EERSTEJAARS, VARIATIONS / name)
    assert r.layout == "G" and r.quarantined.empty
    man, vrouw = cells_at(r, 2), cells_at(r, 3)
    assert man["count_value"].tolist()[0] == 12 and man["is_masked"].tolist() == [False, True]
    assert vrouw["is_masked"].tolist() == [True, False]
    assert vrouw["raw_value"].tolist()[1] == "" and vrouw["count_value"].tolist()[1] == 0  # empty: no data
    assert set(r.cells["instellingsnaam"]) == {"NHL Stenden Hogeschool"}


def test_g_gediplomeerden_with_soort_diploma_mixed_quoting_and_padding():
    r = read(HO_GEDIPLOMEERDEN, VARIATIONS / "g_gediplomeerden_mixed_quoting.csv")
    assert r.layout == "G"
    # a quoted field holds `;` and doubled quotes
    assert cells_at(r, 2)["instellingsnaam"].iloc[0] == 'Radboud; Universiteit "Nijmegen"'
    types = {line: cells_at(r, line)["programme_type"].iloc[0] for line in (2, 3, 4, 5)}
    assert types == {2: "wo master", 3: "wo bachelor", 4: "wo postmaster", 5: "wo doctoraal"}
    # the first word of SOORT DIPLOMA is the sector
    assert set(r.cells["sector"].dropna()) == {"wo"}
    # `wo promotie` is no known uitstroom type: quarantined with file, line, column and reason
    [reason] = set(r.quarantined.loc[r.quarantined["line_number"] == 6, "reason"])
    assert "wo promotie" in reason and "known uitstroom type" in reason


def test_api_table_without_gender_and_programme_code():
    r = read(HO_EERSTEJAARS, VARIATIONS / "api_no_gender_no_code.csv")
    assert r.layout == "L" and r.quarantined.empty
    assert r.cells["gender"].isna().all()  # counts in totals, not in gender figures
    assert r.cells["opleidingscode"].isna().all()  # classified by onderdeel alone (dbt)
    assert r.cells["column_header"].unique().tolist() == ["AANTAL_EERSTEJAARS_INGESCHREVENEN"]
    assert r.cells["is_masked"].tolist() == [False, True, False, False]  # -1 = masked
    assert r.cells["programme_type"].tolist() == ["bachelor", "bachelor", "bachelor", "master"]


def test_api_table_with_an_empty_gender_cell_is_quarantined_not_counted_as_genderless():
    data = b"STUDIEJAAR;INSTELLINGSCODE_ACTUEEL;ONDERDEEL;GESLACHT;AANTAL\n2018;21PB;techniek;;5\n2018;21PB;techniek;MAN;6\n"
    r = read_delivery(HO_EERSTEJAARS, data, "duo/ho_eerstejaars/2020-03-01_api.csv")
    assert r.quarantined["line_number"].tolist() == [2]
    assert "gender" in r.quarantined["reason"].iloc[0]


@pytest.mark.parametrize("name, sector", [
    ("2020-03-01_03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv", "hbo"),
    ("2020-03-01_05-gediplomeerden-wo-2019.csv", "wo"),
    ("2020-03-01_eerstejaars_ho.csv", None),
    ("2020-03-01_hbo-en-wo.csv", None),
])
def test_sector_from_duo_file_name(name, sector):
    assert sector_from_file_name(f"duo/ho_eerstejaars/{name}") == sector


def test_unknown_programme_type_is_quarantined():
    data = (VARIATIONS / "g_cp1252_crlf.csv").read_bytes().replace(b";bachelor;", b";doctoraal;", 1)
    r = read_delivery(HO_EERSTEJAARS, data, "duo/ho_eerstejaars/2020-03-01_x.csv")
    assert r.quarantined["line_number"].tolist() == [2, 2]
    assert r.quarantined["column_header"].tolist() == ["2018", "2019"]


def test_g_file_without_its_gender_column_is_rejected_naming_the_layouts():
    data = (VARIATIONS / "g_utf8_bom_lf.csv").read_bytes().replace(b"GESLACHT", b"GESLACH")
    with pytest.raises(RejectedFile) as exc:
        read_delivery(HO_EERSTEJAARS, data, "duo/ho_eerstejaars/2020-03-01_x.csv")
    assert exc.value.line == 1 and "G:" in exc.value.reason and "GESLACHT" in exc.value.reason


# --- mbo layout M2 -----------------------------------------------------------------------------------
def test_real_mbo_03_excerpt_is_m2_with_padded_fields_and_empty_cells():
    r = read(MBO_EERSTEJAARS, REAL / "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_excerpt.csv")
    assert r.layout == "M2" and r.quarantined.empty
    assert len(r.cells) == 100 * 5 * 3  # MAN, VROUW and TOTAAL (the count, contract 11.3)
    first = cells_at(r, 2)
    assert first["column_header"].tolist()[:3] == ["MAN2015", "VROUW2015", "TOTAAL2015"]
    assert first["in_total"].tolist()[:3] == [False, False, True]
    assert first["raw_value"].tolist()[3:6] == ["", "", ""]  # 2016 has no data for this row
    assert set(r.cells["mbo_sector"]) == {"techniek", "economie", "zorg en welzijn", "combinatie van sectoren"}


def test_m2_total_larger_than_man_plus_vrouw_is_unknown_gender_not_an_error():
    # contract 11.3: TOTAAL2019 12 vs MAN2019 + VROUW2019 = 11 -> one person of unknown gender
    r = read(MBO_EERSTEJAARS, VARIATIONS / "m2_totaal_disagrees.csv")
    assert r.quarantined.empty
    totals = r.cells[r.cells["in_total"]]
    assert totals.loc[totals["line_number"] == 3, "raw_value"].tolist() == ["7", "12"]
    assert cells_at(r, 2)["kwalificatienaam"].iloc[0] == "Technicus Fryslân"


# --- vo exam candidates ------------------------------------------------------------------------------
def test_real_exam_excerpt_lands_counts_with_geslaagden_and_slaagperc():
    r = read(VO_EXAMENKANDIDATEN, REAL / "examenkandidaten-en-geslaagden-2019-2024_excerpt.csv")
    assert r.layout == "E" and r.quarantined.empty
    assert len(r.cells) == 100 * 5 * 3  # MAN, VROUW, TOTAAL (the count, contract 11.3)
    line6 = cells_at(r, 6)  # "HAVO - N&T / N&G": 5;5;100 | <5;<5;100 | 9;9;100 for 2019-2020
    first = line6.iloc[0]
    assert (first["year"], first["gender"], first["raw_value"], first["geslaagden"], first["slaagperc"]) == (
        2019, "MAN", "5", "5", "100")
    assert (first["sector"], first["richting"], first["vestigingsnummer"]) == ("havo", "N&T / N&G", "00")
    assert set(r.cells.loc[r.cells["sector"] == "vmbo", "leerweg"]) == {"B", "K", "T", "LWT"}
    assert "zorg en welzijn" in set(r.cells["richting"])  # `zorg & welzijn` normalised


def test_exam_file_with_an_unknown_programme_is_quarantined():
    data = (REAL / "examenkandidaten-en-geslaagden-2019-2024_excerpt.csv").read_bytes().replace(
        b'"HAVO - N&T"', b'"MAVO - N&T"', 1)
    r = read_delivery(VO_EXAMENKANDIDATEN, data, "duo/vo_examenkandidaten/2024-10-01_x.csv")
    assert set(r.quarantined["line_number"]) == {2}
    assert "OPLEIDINGSNAAM" in r.quarantined["reason"].iloc[0]
