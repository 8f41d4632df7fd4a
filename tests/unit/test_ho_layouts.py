"""HO layouts W (wide) and L (long) through `read_delivery`: cells, masking, normalisation,
provenance (line, column header, raw text) and quarantine of bad cells."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.ingest.datasets import HO_EERSTEJAARS, HO_GEDIPLOMEERDEN
from pipelines.ingest.deliveries import read_delivery
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.normalise import canonical_header, canonical_opleidingsvorm, canonical_value

from ._raw import W_DIMS, l_file, l_header, l_row, w_file, w_header, w_row

DISPLAY = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
DIM_COLUMNS = ["sector", "instellingscode", "instellingsnaam", "onderdeel", "opleidingscode",
               "opleidingsnaam", "opleidingsvorm", "opleidingsfase"]


def cell(cells: pd.DataFrame, line: int, header: str) -> pd.Series:
    hit = cells["line_number"].eq(line).fillna(False) & cells["column_header"].eq(header).fillna(False)
    match = cells[hit.astype(bool)]
    assert len(match) == 1, f"expected one cell at line {line}, column {header!r}; found {len(match)}"
    return match.iloc[0]


# --- normalisation helpers -------------------------------------------------------------------------
@pytest.mark.parametrize("raw, canonical", [
    ("BRIN NUMMER ACTUEEL", "INSTELLINGSCODE ACTUEEL"),
    ("INSTELLINGSCODE_ACTUEEL", "INSTELLINGSCODE ACTUEEL"),
    ("  instellingscode   actueel ", "INSTELLINGSCODE ACTUEEL"),
    ("CROHO ONDERDEEL", "ONDERDEEL"),
    ("CROHO_SUBONDERDEEL", "SUBONDERDEEL"),
    ("BRINNUMMER", "BRIN NUMMER"),
    ("\ufeffSTUDIEJAAR", "STUDIEJAAR"),
    ("2003_man", "2003 MAN"),
])
def test_header_spellings_map_to_one_canonical_name(raw, canonical):
    assert canonical_header(raw) == canonical


def test_value_and_opleidingsvorm_normalisation():
    assert canonical_value("GEDRAG_EN_MAATSCHAPPIJ") == "gedrag en maatschappij"
    assert canonical_value("  WO ") == "wo"
    assert canonical_opleidingsvorm("voltijd onderwijs") == "VT"
    assert canonical_opleidingsvorm("DEELTIJD_ONDERWIJS") == "DT"
    assert canonical_opleidingsvorm("duaal onderwijs") == "DU"
    assert canonical_opleidingsvorm("vt") == "VT"
    assert canonical_opleidingsvorm("avond") == "avond"  # unknown: left for the schema to reject


# --- W layout --------------------------------------------------------------------------------------
@pytest.fixture
def wide_read():
    data = w_file(
        w_row(["1.021", "<5", "", "7"], sector="HBO", code="00IC", naam="Hogeschool Bèta",
              onderdeel="GEDRAG_EN_MAATSCHAPPIJ", opleidingscode="34479", opleidingsnaam="B Informatica",
              vorm="voltijd onderwijs", fase="propedeuse bachelor"),
        "",  # a blank line between records: the next record keeps its physical line number (4)
        w_row(["41", "22", "44", "25"], sector="WO", vorm="deeltijd onderwijs"),
    )
    return data, read_delivery(HO_EERSTEJAARS, data, DISPLAY)


def test_wide_file_is_cp1252_crlf_with_footer(wide_read):
    data, _ = wide_read
    assert b"\r\n" in data and "Bèta".encode("cp1252") in data and b"Bron: DUO" in data


def test_wide_one_cell_per_count_column_with_physical_line_numbers(wide_read):
    _, read = wide_read
    assert read.layout == "W"
    assert read.quarantined.empty
    assert read.cells["quarantine_reason"].isna().all()
    assert len(read.cells) == 8  # 2 records x 4 count columns; blank lines and the footer give no cells
    assert sorted(read.cells["line_number"].unique().tolist()) == [2, 4]
    assert set(read.cells["column_header"]) == {"2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"}


def test_wide_counts_thousands_separator_mask_and_empty(wide_read):
    _, read = wide_read
    thousands = cell(read.cells, 2, "2003 MAN")
    assert thousands["raw_value"] == "1.021" and thousands["count_value"] == 1021 and not thousands["is_masked"]
    masked = cell(read.cells, 2, "2003 VROUW")
    assert masked["raw_value"] == "<5" and pd.isna(masked["count_value"]) and bool(masked["is_masked"])
    empty = cell(read.cells, 2, "2004 MAN")
    assert empty["raw_value"] == "" and empty["count_value"] == 0 and not empty["is_masked"]
    assert cell(read.cells, 2, "2004 VROUW")["count_value"] == 7
    assert read.cells.loc[read.cells["line_number"] == 4, "count_value"].tolist() == [41, 22, 44, 25]


def test_wide_year_and_gender_come_from_the_column_header(wide_read):
    _, read = wide_read
    c = cell(read.cells, 4, "2004 VROUW")
    assert (c["year"], c["gender"]) == (2004, "VROUW")
    c = cell(read.cells, 4, "2003 MAN")
    assert (c["year"], c["gender"]) == (2003, "MAN")


def test_wide_dimension_values_are_normalised_and_codes_stay_text(wide_read):
    _, read = wide_read
    first = read.cells[read.cells["line_number"] == 2].iloc[0]
    assert first["sector"] == "hbo"
    assert first["instellingscode"] == "00IC"  # leading zeros kept: text, not a number
    assert first["instellingsnaam"] == "Hogeschool Bèta"  # cp1252 decoded, not mojibake
    assert first["onderdeel"] == "gedrag en maatschappij"
    assert first["opleidingscode"] == "34479"
    assert first["opleidingsvorm"] == "VT"
    assert first["opleidingsfase"] == "propedeuse bachelor"
    second = read.cells[read.cells["line_number"] == 4].iloc[0]
    assert (second["sector"], second["opleidingsvorm"]) == ("wo", "DT")


def test_wide_header_synonyms_give_identical_cells():
    rows = [w_row(["3", "<5", "", "1.234"], code="00IC")]
    legacy = w_file(*rows)
    modern_dims = [{"BRIN NUMMER ACTUEEL": "INSTELLINGSCODE_ACTUEEL", "CROHO ONDERDEEL": "ONDERDEEL",
                    "CROHO SUBONDERDEEL": "SUBONDERDEEL", "TYPE HOGER ONDERWIJS": " type_hoger_onderwijs "}
                   .get(h, h) for h in W_DIMS]
    modern = w_file(*rows, header=w_header(dims=modern_dims))
    assert b"INSTELLINGSCODE_ACTUEEL" in modern and b"BRIN NUMMER" not in modern
    a = read_delivery(HO_EERSTEJAARS, legacy, DISPLAY).cells
    b = read_delivery(HO_EERSTEJAARS, modern, DISPLAY).cells
    assert len(a) == 4
    pd.testing.assert_frame_equal(a, b)


def test_wide_optional_opleidingsfase_may_be_absent():
    dims = [h for h in W_DIMS if h != "OPLEIDINGSFASE ACTUEEL"]
    row = ";".join(w_row(["1", "2", "3", "4"]).split(";")[:12] + ["1", "2", "3", "4"])
    read = read_delivery(HO_EERSTEJAARS, w_file(row, header=w_header(dims=dims)), DISPLAY)
    assert read.quarantined.empty
    assert read.cells["opleidingsfase"].isna().all()
    assert read.cells["count_value"].tolist() == [1, 2, 3, 4]


def test_wide_lf_line_endings_and_lower_case_year_headers_are_accepted():
    header = w_header().replace("MAN", "man").replace("VROUW", "vrouw")
    read = read_delivery(HO_EERSTEJAARS, w_file(w_row(["1", "2", "3", "4"]), header=header, newline="\n"), DISPLAY)
    assert read.quarantined.empty
    assert sorted(zip(read.cells["year"], read.cells["gender"])) == [
        (2003, "MAN"), (2003, "VROUW"), (2004, "MAN"), (2004, "VROUW")]


def test_trailing_total_line_without_institution_code_is_a_footer():
    total = ";".join([""] * len(W_DIMS) + ["100", "200", "300", "400"])
    total = "Totaal" + total  # `Totaal;;;...;100;200;...` : no institution code
    read = read_delivery(HO_EERSTEJAARS, w_file(w_row(["1", "2", "3", "4"]), total), DISPLAY)
    assert read.quarantined.empty
    assert read.cells["count_value"].tolist() == [1, 2, 3, 4]


def test_data_row_without_institution_code_inside_the_data_is_quarantined_not_dropped():
    data = w_file(
        w_row(["1", "2", "3", "4"]),
        w_row(["30", "40", "50", "60"], code=""),  # line 3: counts, but no institution code
        w_row(["5", "6", "7", "8"]),
    )
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert 3 in read.quarantined["line_number"].tolist()


def test_wide_missing_required_column_rejects_the_file_at_line_1():
    dims = [h for h in W_DIMS if h != "OPLEIDINGSVORM"]
    row = ";".join(w_row(["1", "2", "3", "4"]).split(";")[:11] + ["bachelor", "1", "2", "3", "4"])
    with pytest.raises(RejectedFile) as exc:
        read_delivery(HO_EERSTEJAARS, w_file(row, header=w_header(dims=dims)), DISPLAY)
    assert exc.value.line == 1
    assert exc.value.path == DISPLAY
    assert "missing column" in exc.value.reason and "OPLEIDINGSVORM" in exc.value.reason


def test_wide_without_year_count_columns_is_rejected():
    header = ";".join(W_DIMS)
    row = ";".join(w_row([]).split(";"))
    with pytest.raises(RejectedFile) as exc:
        read_delivery(HO_EERSTEJAARS, w_file(row, header=header), DISPLAY)
    assert exc.value.line == 1 and "year count columns" in exc.value.reason


def test_duplicate_column_after_normalisation_is_rejected():
    dims = [*W_DIMS, "INSTELLINGSCODE_ACTUEEL"]  # same column as BRIN NUMMER ACTUEEL
    with pytest.raises(RejectedFile) as exc:
        read_delivery(HO_EERSTEJAARS, w_file(header=w_header(dims=dims)), DISPLAY)
    assert exc.value.line == 1 and "duplicate" in exc.value.reason


def test_wide_utf8_file_is_read_as_utf8_not_as_mojibake():
    """Contract 10.1: DUO publishes UTF-8 (without BOM) too; `è` must not become `Ã¨`."""
    data = w_file(w_row(["1", "2", "3", "4"], naam="Hogeschool Bèta"), encoding="utf-8")
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert read.quarantined.empty
    assert set(read.cells["instellingsnaam"]) == {"Hogeschool Bèta"}


# --- L layout --------------------------------------------------------------------------------------
def test_long_file_bom_quoted_fields_mask_and_year_per_row():
    data = l_file(
        l_row(2006, "MAN", "47", naam="Radboud, Universiteit Nijmegen"),  # comma inside quotes
        l_row(2006, "VROUW", "-1"),
        l_row(2007, "MAN", ""),
        l_row(2007, "VROUW", "1234", sector="HBO", code="00IC", onderdeel="GEDRAG_EN_MAATSCHAPPIJ"),
        "",
        "Bron: DUO",
    )
    assert data.startswith(b"\xef\xbb\xbf")
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert read.layout == "L"
    assert read.quarantined.empty
    cells = read.cells.set_index("line_number")
    assert cells.index.tolist() == [2, 3, 4, 5]
    assert set(cells["column_header"]) == {"AANTAL"}
    assert cells.loc[2, "instellingsnaam"] == "Radboud, Universiteit Nijmegen"
    assert (cells.loc[2, "year"], cells.loc[2, "gender"], cells.loc[2, "count_value"]) == (2006, "MAN", 47)
    assert cells.loc[3, "raw_value"] == "-1" and pd.isna(cells.loc[3, "count_value"]) and cells.loc[3, "is_masked"]
    assert (cells.loc[4, "year"], cells.loc[4, "count_value"], cells.loc[4, "is_masked"]) == (2007, 0, False)
    assert cells.loc[5, "count_value"] == 1234
    assert cells.loc[5, "sector"] == "hbo" and cells.loc[5, "instellingscode"] == "00IC"
    assert cells.loc[5, "onderdeel"] == "gedrag en maatschappij"
    assert set(cells["opleidingsvorm"]) == {"VT"}
    assert cells.loc[2, "sector"] == "wo"


def test_long_gediplomeerden_diplomajaar_and_soort_diploma():
    data = l_file(
        l_row(2006, "MAN", "47", extra=["BACHELOR"]),
        l_row(2007, "VROUW", "-1", extra=["MASTER"]),
        header=l_header("DIPLOMAJAAR", extra=["SOORT_DIPLOMA"]),
    )
    read = read_delivery(HO_GEDIPLOMEERDEN, data, "duo/ho_gediplomeerden/2009-03-16_g.csv")
    assert read.layout == "L" and read.quarantined.empty
    assert read.cells["year"].tolist() == [2006, 2007]
    # without an hbo/wo prefix SOORT DIPLOMA is descriptive (the older layout): every row counts
    assert read.cells["soort_diploma"].tolist() == ["bachelor", "master"]
    assert read.cells["programme_type"].isna().all()
    assert read.cells["is_masked"].tolist() == [False, True]


def test_long_gediplomeerden_also_accepts_studiejaar():
    data = l_file(l_row(2005, "MAN", "9"))
    read = read_delivery(HO_GEDIPLOMEERDEN, data, "duo/ho_gediplomeerden/2009-03-16_g.csv")
    assert read.cells["year"].tolist() == [2005]
    assert read.cells["opleidingsfase"].isna().all()


def test_long_eerstejaars_with_diplomajaar_is_rejected():
    data = l_file(l_row(2006, "MAN", "47"), header=l_header("DIPLOMAJAAR"))
    with pytest.raises(RejectedFile) as exc:
        read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert exc.value.line == 1 and "STUDIEJAAR" in exc.value.reason


def test_long_file_without_bom_is_accepted():
    read = read_delivery(HO_EERSTEJAARS, l_file(l_row(2006, "MAN", "5"), bom=False), DISPLAY)
    assert read.cells["count_value"].tolist() == [5]


def test_long_multiline_quoted_name_keeps_later_line_numbers():
    data = l_file(l_row(2006, "MAN", "1", naam="Radboud\r\nNijmegen"), l_row(2006, "VROUW", "2"))
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    assert read.cells["line_number"].tolist() == [2, 4]


# --- quarantine ------------------------------------------------------------------------------------
@pytest.fixture
def bad_wide_read():
    data = w_file(
        w_row(["10", "abc", "12", "13"]),                  # line 2: a count that is not a number
        w_row(["-7", "21", "22", "23"], opleidingscode="56861"),  # line 3: a negative count
        w_row(["30", "31", "32", "33"], sector="hbx"),     # line 4: unknown TYPE HOGER ONDERWIJS
        w_row(["40", "41", "42"]),                         # line 5: one field short
        w_row(["50", "51", "52", "53"], opleidingscode="56862"),  # line 6: fine
    )
    return read_delivery(HO_EERSTEJAARS, data, DISPLAY)


def quarantined_at(read, line):
    return read.quarantined[read.quarantined["line_number"] == line]


def test_non_numeric_count_is_quarantined_with_provenance(bad_wide_read):
    q = quarantined_at(bad_wide_read, 2)
    assert len(q) == 1
    row = q.iloc[0]
    assert (row["column_header"], row["raw_value"]) == ("2003 VROUW", "abc")
    assert "not a non-negative number" in row["reason"] and "abc" in row["reason"]
    landed = cell(bad_wide_read.cells, 2, "2003 VROUW")
    assert landed["quarantine_reason"] == row["reason"]
    assert pd.isna(landed["count_value"]) and not landed["is_masked"]


def test_negative_count_is_quarantined(bad_wide_read):
    q = quarantined_at(bad_wide_read, 3)
    assert q[["column_header", "raw_value"]].values.tolist() == [["2003 MAN", "-7"]]
    assert "-7" in q.iloc[0]["reason"]


def test_unknown_sector_quarantines_every_cell_of_its_row(bad_wide_read):
    q = quarantined_at(bad_wide_read, 4)
    assert sorted(q["column_header"]) == ["2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"]
    assert q["reason"].str.contains("TYPE HOGER ONDERWIJS").all()
    assert q["reason"].str.contains("hbx").all()
    assert bad_wide_read.cells.loc[bad_wide_read.cells["line_number"] == 4, "count_value"].isna().all()


def test_row_with_wrong_number_of_fields_is_quarantined_whole(bad_wide_read):
    q = quarantined_at(bad_wide_read, 5)
    assert len(q) == 1
    assert "expected 17 fields, found 16" == q.iloc[0]["reason"]
    landed = bad_wide_read.cells[bad_wide_read.cells["line_number"] == 5]
    assert len(landed) == 1 and landed.iloc[0]["quarantine_reason"] == q.iloc[0]["reason"]
    assert pd.isna(landed.iloc[0]["year"])  # no cell of it counts


def test_other_cells_of_a_file_with_bad_cells_still_land(bad_wide_read):
    good = bad_wide_read.cells[bad_wide_read.cells["quarantine_reason"].isna()]
    assert sorted(good["line_number"].unique().tolist()) == [2, 3, 6]
    assert good.loc[good["line_number"] == 2, "count_value"].tolist() == [10, 12, 13]
    assert good.loc[good["line_number"] == 3, "count_value"].tolist() == [21, 22, 23]
    assert good.loc[good["line_number"] == 6, "count_value"].tolist() == [50, 51, 52, 53]
    assert len(bad_wide_read.quarantined) == 1 + 1 + 4 + 1


@pytest.mark.parametrize("raw", ["-1", "1.02", "1,021", "< 5", "12a"])
def test_wide_count_spellings_that_are_not_counts_are_quarantined(raw):
    read = read_delivery(HO_EERSTEJAARS, w_file(w_row([raw, "1", "2", "3"])), DISPLAY)
    assert read.quarantined["raw_value"].tolist() == [raw]


@pytest.mark.parametrize("raw, header", [("-7", "AANTAL"), ("< 5", "AANTAL"), ("abc", "AANTAL")])
def test_long_bad_counts_are_quarantined(raw, header):
    read = read_delivery(HO_EERSTEJAARS, l_file(l_row(2006, "MAN", raw), l_row(2006, "VROUW", "3")), DISPLAY)
    assert read.quarantined[["line_number", "column_header", "raw_value"]].values.tolist() == [[2, header, raw]]
    assert read.cells.loc[read.cells["line_number"] == 3, "count_value"].tolist() == [3]


def test_long_unknown_gender_and_opleidingsvorm_are_quarantined():
    data = l_file(l_row(2006, "X", "1"), l_row(2006, "MAN", "2", vorm="avond"), l_row(2006, "VROUW", "3"))
    read = read_delivery(HO_EERSTEJAARS, data, DISPLAY)
    reasons = read.quarantined.set_index("line_number")["reason"]
    assert "gender" in reasons[2]
    assert "OPLEIDINGSVORM" in reasons[3] and "avond" in reasons[3]
    assert 4 not in reasons.index
