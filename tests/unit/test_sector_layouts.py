"""mbo, havo/vwo and vmbo wide layouts (raw-data contract 6.2-6.4) through `read_delivery` and
`ingest_dataset`, whole-file rejection of misplaced / mis-encoded files (section 9), and
`programs/*.csv` (section 7) through `ingest_programs`."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from pipelines.ingest.datasets import (
    HO_EERSTEJAARS,
    MBO_EERSTEJAARS,
    MBO_GEDIPLOMEERDEN,
    VMBO_EXAMENKANDIDATEN,
    VO_PROFIELKEUZE,
)
from pipelines.ingest.deliveries import ingest_dataset, read_delivery
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reference import ingest_programs as _ingest_programs

from ._raw import l_file, l_row, put, w_file, w_row
from ._sector_raw import (
    FOOTER,
    MBO_DIMS,
    PROGRAMS_HEADER,
    mbo_header,
    mbo_row,
    program_file,
    semicolon_file,
    vmbo_count_header,
    vmbo_header,
    vmbo_row,
    vo_header,
    vo_row,
)

MBO_FILE = "duo/mbo_gediplomeerden/2008-03-17_gediplomeerden_mbo.csv"
VO_FILE = "duo/vo_profielkeuze/2008-03-17_profielkeuze_vo.csv"
VMBO_FILE = "duo/vmbo_examenkandidaten/2008-03-17_examenkandidaten_vmbo.csv"
INDUSTRIELE = "Technicus Elektrotechnische Industriële Producten"


def cell(cells: pd.DataFrame, line: int, header: str) -> pd.Series:
    hit = cells["line_number"].eq(line).fillna(False) & cells["column_header"].eq(header).fillna(False)
    match = cells[hit.astype(bool)]
    assert len(match) == 1, f"expected one cell at line {line}, column {header!r}; found {len(match)}"
    return match.iloc[0]


def at_line(frame: pd.DataFrame, line: int) -> pd.DataFrame:
    return frame[frame["line_number"].eq(line).fillna(False).astype(bool)]


def good_lines(read) -> list[int]:
    good = read.cells[read.cells["quarantine_reason"].isna()]
    return sorted(good["line_number"].unique().tolist())


# =================================================================================================
# mbo (6.2): `;`, cp1252, CRLF
# =================================================================================================
@pytest.fixture
def mbo_read():
    data = semicolon_file(
        mbo_header(),
        mbo_row(["1.234", "<5", "", "7"], code="02ZT", naam="ROC Noorderpoort", sector="TECHNIEK",
                kwalificatienaam=INDUSTRIELE, niveau="4", type_mbo="BOL"),             # line 2
        mbo_row(["3", "4", "5", "6"], code="00AB", sector="ZORG EN WELZIJN", kwalificatiecode="10392",
                kwalificatienaam="Verzorgende IG", niveau="1", type_mbo="BBL"),        # line 3
        mbo_row(["20", "21", "22", "23"], code="25lz", sector=" zorg_en_welzijn ", niveau=" 2 ",
                type_mbo=" bol "),                                                      # line 4
        "",
        "",
    )  # + blank line and `Bron: DUO, open onderwijsdata` (lines 5-8)
    return data, read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)


def test_mbo_header_builder_is_exactly_the_contract_header():
    assert mbo_header(years=(2003, 2004)) == (
        "BRIN NUMMER;INSTELLINGSNAAM;PLAATSNAAM;MBO SECTOR;KWALIFICATIE CODE;KWALIFICATIE NAAM;"
        "KWALIFICATIENIVEAU;TYPE MBO;2003 MAN;2003 VROUW;2004 MAN;2004 VROUW")


def test_mbo_file_is_cp1252_crlf_with_footer(mbo_read):
    data, _ = mbo_read
    assert b"\r\n" in data and b"Industri\xeble" in data and FOOTER.encode() in data
    assert data.splitlines()[0].decode("ascii").startswith("BRIN NUMMER;")  # BRIN is the first column


def test_mbo_one_cell_per_count_column_and_footer_gives_nothing(mbo_read):
    _, read = mbo_read
    assert read.layout == "W"
    assert read.quarantined.empty, read.quarantined.to_dict("records")
    assert read.cells["quarantine_reason"].isna().all()
    assert len(read.cells) == 3 * 4
    assert sorted(read.cells["line_number"].unique().tolist()) == [2, 3, 4]
    assert set(read.cells["column_header"]) == {"2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"}
    assert read.n_records >= 5  # blank lines and footer were read as records, then skipped


def test_mbo_counts_thousands_separator_mask_and_empty(mbo_read):
    _, read = mbo_read
    thousands = cell(read.cells, 2, "2003 MAN")
    assert thousands["raw_value"] == "1.234" and thousands["count_value"] == 1234 and not thousands["is_masked"]
    masked = cell(read.cells, 2, "2003 VROUW")
    assert masked["raw_value"] == "<5" and pd.isna(masked["count_value"]) and bool(masked["is_masked"])
    empty = cell(read.cells, 2, "2004 MAN")
    assert empty["raw_value"] == "" and empty["count_value"] == 0 and not empty["is_masked"]
    assert cell(read.cells, 2, "2004 VROUW")["count_value"] == 7
    assert at_line(read.cells, 3)["count_value"].tolist() == [3, 4, 5, 6]


def test_mbo_year_and_gender_come_from_the_column_header(mbo_read):
    _, read = mbo_read
    assert sorted(set(zip(read.cells["year"], read.cells["gender"]))) == [
        (2003, "MAN"), (2003, "VROUW"), (2004, "MAN"), (2004, "VROUW")]
    c = cell(read.cells, 3, "2004 VROUW")
    assert (c["year"], c["gender"]) == (2004, "VROUW")


def test_mbo_dimension_values_are_normalised(mbo_read):
    _, read = mbo_read
    first = at_line(read.cells, 2).iloc[0]
    assert first["mbo_sector"] == "techniek"
    assert first["niveau"] == "4" and first["type_mbo"] == "BOL"
    assert first["kwalificatiecode"] == "10147"
    assert first["instellingsnaam"] == "ROC Noorderpoort"
    second = at_line(read.cells, 3).iloc[0]
    assert (second["mbo_sector"], second["niveau"], second["type_mbo"]) == ("zorg en welzijn", "1", "BBL")
    third = at_line(read.cells, 4).iloc[0]
    # spaces, case and `_` = space (contract section 5)
    assert (third["mbo_sector"], third["niveau"], third["type_mbo"]) == ("zorg en welzijn", "2", "BOL")


def test_mbo_non_ascii_kwalificatienaam_is_decoded_as_cp1252(mbo_read):
    _, read = mbo_read
    naam = at_line(read.cells, 2).iloc[0]["kwalificatienaam"]
    assert naam == INDUSTRIELE
    assert "Ã" not in naam  # no mojibake


def test_mbo_institution_codes_stay_text_with_leading_zeros(mbo_read):
    _, read = mbo_read
    codes = {line: at_line(read.cells, line).iloc[0]["instellingscode"] for line in (2, 3, 4)}
    assert codes == {2: "02ZT", 3: "00AB", 4: "25LZ"}


def test_mbo_eerstejaars_reads_the_same_layout(mbo_read):
    data, gediplomeerden = mbo_read
    eerstejaars = read_delivery(MBO_EERSTEJAARS, data, "duo/mbo_eerstejaars/2008-03-17_eerstejaars_mbo.csv")
    pd.testing.assert_frame_equal(eerstejaars.cells, gediplomeerden.cells)


def test_mbo_header_spelling_variants_give_identical_cells():
    rows = [mbo_row(["3", "<5", "", "1.234"], code="00AB")]
    variants = {"BRIN NUMMER": "INSTELLINGSCODE", "KWALIFICATIE CODE": "kwalificatie_code",
                "MBO SECTOR": " MBO_SECTOR ", "TYPE MBO": "type mbo"}
    modern = semicolon_file(mbo_header(dims=[variants.get(h, h) for h in MBO_DIMS]), *rows)
    assert b"INSTELLINGSCODE;" in modern and b"BRIN NUMMER" not in modern
    a = read_delivery(MBO_GEDIPLOMEERDEN, semicolon_file(mbo_header(), *rows), MBO_FILE).cells
    b = read_delivery(MBO_GEDIPLOMEERDEN, modern, MBO_FILE).cells
    assert len(a) == 4 and a["quarantine_reason"].isna().all()
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("trailer", [
    [FOOTER],                                             # footer text lands in the BRIN (first) column
    ["", FOOTER, "", ""],                                 # blank lines around the footer
    ["Bron: DUO", "Peildatum: 1 oktober 2007"],           # several footer lines
    [";" * 11, ";;;;;;;;;;;"],                            # lines of empty fields
    ["Totaal;;;;;;;;100;200;300;400", FOOTER],            # a total line: counts but no institution code
])
def test_mbo_footers_and_blank_lines_after_the_data_are_skipped(trailer):
    data = semicolon_file(mbo_header(), mbo_row(["1", "2", "3", "4"]), mbo_row(["5", "6", "7", "8"], code="00AB"),
                          *trailer, footer=False)
    read = read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)
    assert read.quarantined.empty, read.quarantined.to_dict("records")
    assert read.cells["line_number"].tolist() == [2] * 4 + [3] * 4
    assert read.cells["count_value"].tolist() == [1, 2, 3, 4, 5, 6, 7, 8]


# --- mbo: bad rows are quarantined, never dropped -------------------------------------------------
@pytest.fixture
def bad_mbo_read():
    data = semicolon_file(
        mbo_header(),
        mbo_row(["1", "2", "3", "4"]),                                 # line 2: fine
        mbo_row(["30", "31", "32", "33"], code=""),                    # line 3: no institution code
        mbo_row(["40", "41", "42", "43"], code="2ZT"),                 # line 4: invalid institution code
        mbo_row(["50", "51", "52", "53"], niveau="5"),                 # line 5: niveau outside 1-4
        mbo_row(["60", "61", "62", "63"], sector="ICT", kwalificatiecode="10148"),  # line 6: unknown sector
        mbo_row(["-3", "71", "72", "73"], kwalificatiecode="10149"),   # line 7: negative count
        mbo_row(["80", "81", "82", "83"], type_mbo="VAVO"),            # line 8: TYPE MBO not BOL/BBL
        mbo_row(["9", "10", "11", "12"], code="00AB"),                 # line 9: fine
    )
    return read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)


@pytest.mark.parametrize("line, raw", [(3, ""), (4, "2ZT")])
def test_mbo_data_line_without_valid_institution_code_in_the_middle_is_quarantined(bad_mbo_read, line, raw):
    q = at_line(bad_mbo_read.quarantined, line)
    assert len(q) == 1
    row = q.iloc[0]
    assert (row["column_header"], row["raw_value"]) == ("BRIN NUMMER", raw)
    assert "institution code" in row["reason"]
    landed = at_line(bad_mbo_read.cells, line)  # it lands too, so the quality gate counts it
    assert len(landed) == 1 and landed.iloc[0]["quarantine_reason"] == row["reason"]
    assert pd.isna(landed.iloc[0]["count_value"])


def test_mbo_niveau_5_quarantines_every_cell_of_its_row(bad_mbo_read):
    q = at_line(bad_mbo_read.quarantined, 5)
    assert sorted(q["column_header"]) == ["2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"]
    assert sorted(q["raw_value"]) == ["50", "51", "52", "53"]
    assert q["reason"].str.contains("KWALIFICATIENIVEAU").all() and q["reason"].str.contains("'5'").all()
    assert at_line(bad_mbo_read.cells, 5)["count_value"].isna().all()


def test_mbo_unknown_sector_is_quarantined(bad_mbo_read):
    q = at_line(bad_mbo_read.quarantined, 6)
    assert len(q) == 4
    assert q["reason"].str.contains("MBO SECTOR").all() and q["reason"].str.contains("ict").all()


def test_mbo_unknown_type_mbo_is_quarantined(bad_mbo_read):
    q = at_line(bad_mbo_read.quarantined, 8)
    assert len(q) == 4 and q["reason"].str.contains("TYPE MBO").all()


def test_mbo_negative_count_is_quarantined_with_line_column_and_raw_value(bad_mbo_read):
    q = at_line(bad_mbo_read.quarantined, 7)
    assert q[["line_number", "column_header", "raw_value"]].values.tolist() == [[7, "2003 MAN", "-3"]]
    assert "-3" in q.iloc[0]["reason"]
    landed = cell(bad_mbo_read.cells, 7, "2003 MAN")
    assert landed["quarantine_reason"] == q.iloc[0]["reason"] and pd.isna(landed["count_value"])
    # the other cells of the row are fine and still count
    assert at_line(bad_mbo_read.cells, 7)["count_value"].tolist()[1:] == [71, 72, 73]


def test_mbo_good_lines_around_bad_ones_still_land(bad_mbo_read):
    assert good_lines(bad_mbo_read) == [2, 7, 9]
    assert at_line(bad_mbo_read.cells, 9)["count_value"].tolist() == [9, 10, 11, 12]
    assert sorted(bad_mbo_read.quarantined["line_number"].unique().tolist()) == [3, 4, 5, 6, 7, 8]
    assert len(bad_mbo_read.quarantined) == 1 + 1 + 4 + 4 + 1 + 4


@pytest.mark.parametrize("niveau", ["0", "5", "", "4a"])
def test_mbo_niveau_outside_1_to_4_is_quarantined(niveau):
    data = semicolon_file(mbo_header(), mbo_row(["1", "2", "3", "4"], niveau=niveau), mbo_row(["5", "6", "7", "8"]))
    read = read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)
    assert sorted(read.quarantined["line_number"].unique().tolist()) == [2]
    assert good_lines(read) == [3]


def test_mbo_utf8_file_is_read_as_utf8_not_as_mojibake():
    data = semicolon_file(mbo_header(), mbo_row(["1", "2", "3", "4"], kwalificatienaam=INDUSTRIELE),
                          encoding="utf-8")
    assert "ë".encode("utf-8") in data
    read = read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)
    assert set(read.cells["kwalificatienaam"]) == {INDUSTRIELE}


# =================================================================================================
# havo/vwo (6.3)
# =================================================================================================
@pytest.fixture
def vo_read():
    data = semicolon_file(
        vo_header(),
        vo_row(["21", "6", "24", "8"], vestiging="13QA01", onderwijstype="VWO", profiel="NT"),   # line 2
        vo_row(["9", "11", "10", "<5"], vestiging="01", onderwijstype="HAVO", profiel=" nt/ng "),  # line 3
        vo_row(["40", "33", "42", "35"], vestiging="13qa01", onderwijstype="havo", profiel="EM"),  # line 4
        vo_row(["1", "2", "3", "4"], profiel="XX"),                                               # line 5
        vo_row(["5", "6", "7", "8"], leerjaar="3"),                                               # line 6
        vo_row(["1.001", "", "12", "13"], code="00AB", vestiging="00AB02", profiel="em/cm"),     # line 7
    )
    return read_delivery(VO_PROFIELKEUZE, data, VO_FILE)


def test_vo_header_builder_is_exactly_the_contract_header():
    assert vo_header(years=(2003,)) == (
        "BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;PLAATSNAAM VESTIGING;PROVINCIE VESTIGING;"
        "ONDERWIJSTYPE VO;LEERJAAR;PROFIEL;2003 MAN;2003 VROUW")


def test_vo_plain_and_brin_prefixed_vestigingsnummer_are_the_same_branch(vo_read):
    branches = {line: at_line(vo_read.cells, line).iloc[0]["vestigingsnummer"] for line in (2, 3, 4, 7)}
    assert branches == {2: "01", 3: "01", 4: "01", 7: "02"}
    assert set(at_line(vo_read.cells, 2)["instellingscode"]) == {"13QA"}
    assert set(at_line(vo_read.cells, 7)["instellingscode"]) == {"00AB"}


def test_vo_onderwijstype_becomes_the_sector_name(vo_read):
    sectors = {line: at_line(vo_read.cells, line).iloc[0]["sector"] for line in (2, 3, 4)}
    assert sectors == {2: "vwo", 3: "havo", 4: "havo"}


def test_vo_profiel_spaces_and_case_are_normalised(vo_read):
    profiles = {line: at_line(vo_read.cells, line).iloc[0]["profiel"] for line in (2, 3, 4, 7)}
    assert profiles == {2: "NT", 3: "NT/NG", 4: "EM", 7: "EM/CM"}


def test_vo_counts_year_and_gender(vo_read):
    c = cell(vo_read.cells, 2, "2003 MAN")
    assert (c["year"], c["gender"], c["count_value"]) == (2003, "MAN", 21)
    masked = cell(vo_read.cells, 3, "2004 VROUW")
    assert (masked["year"], masked["gender"], bool(masked["is_masked"])) == (2004, "VROUW", True)
    assert at_line(vo_read.cells, 7)["count_value"].tolist() == [1001, 0, 12, 13]
    assert at_line(vo_read.cells, 2)["leerjaar"].unique().tolist() == ["4"]


def test_vo_unknown_profiel_is_quarantined(vo_read):
    q = at_line(vo_read.quarantined, 5)
    assert sorted(q["column_header"]) == ["2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"]
    assert q["reason"].str.contains("PROFIEL").all() and q["reason"].str.contains("XX").all()


def test_vo_leerjaar_3_is_quarantined(vo_read):
    q = at_line(vo_read.quarantined, 6)
    assert len(q) == 4
    assert q["reason"].str.contains("LEERJAAR").all() and q["reason"].str.contains("'3'").all()


def test_vo_only_the_bad_lines_are_quarantined(vo_read):
    assert sorted(vo_read.quarantined["line_number"].unique().tolist()) == [5, 6]
    assert good_lines(vo_read) == [2, 3, 4, 7]


@pytest.mark.parametrize("raw, profiel", [
    ("NT", "NT"), ("ng", "NG"), ("NT/NG", "NT/NG"), (" nt/ng ", "NT/NG"), ("Nt / Ng", "NT/NG"),
    ("em", "EM"), ("CM", "CM"), ("EM/CM", "EM/CM"),
])
def test_vo_every_contract_profile_is_accepted(raw, profiel):
    read = read_delivery(VO_PROFIELKEUZE, semicolon_file(vo_header(), vo_row(["1", "2", "3", "4"], profiel=raw)),
                         VO_FILE)
    assert read.quarantined.empty
    assert read.cells["profiel"].unique().tolist() == [profiel]


def test_vo_branch_of_another_school_is_quarantined():
    read = read_delivery(VO_PROFIELKEUZE, semicolon_file(vo_header(), vo_row(["1", "2", "3", "4"],
                                                                             vestiging="12AB01")), VO_FILE)
    assert len(read.quarantined) == 4
    assert read.quarantined["reason"].str.contains("VESTIGINGSNUMMER").all()


@pytest.mark.parametrize("vestiging", ["", "  "])
def test_vo_empty_vestigingsnummer_is_quarantined_not_invented(vestiging):
    data = semicolon_file(vo_header(), vo_row(["1", "2", "3", "4"], vestiging=vestiging), vo_row(["5", "6", "7", "8"]))
    read = read_delivery(VO_PROFIELKEUZE, data, VO_FILE)
    assert "00" not in read.cells["vestigingsnummer"].dropna().tolist()
    assert sorted(read.quarantined["line_number"].unique().tolist()) == [2]


# =================================================================================================
# vmbo (6.4)
# =================================================================================================
@pytest.fixture
def vmbo_read():
    data = semicolon_file(
        vmbo_header(),
        vmbo_row(["44", "<5", "1.041", ""], leerweg="basisberoepsgerichte leerweg", sector="TECHNIEK"),  # 2
        vmbo_row(["1", "2", "3", "4"], leerweg="KADERBEROEPSGERICHTE LEERWEG", sector="ZORG EN WELZIJN"),  # 3
        vmbo_row(["5", "6", "7", "8"], leerweg="Gemengde Leerweg", sector="economie"),                  # 4
        vmbo_row(["9", "10", "11", "12"], leerweg="theoretische_leerweg", sector="Landbouw"),           # 5
        vmbo_row(["13", "14", "15", "16"], leerweg="praktijkonderwijs"),                                # 6
        vmbo_row(["17", "18", "19", "20"], code="00AB", vestiging="00AB01", leerweg=" tl ",
                 sector="zorg_en_welzijn"),                                                              # 7
    )
    return read_delivery(VMBO_EXAMENKANDIDATEN, data, VMBO_FILE)


def test_vmbo_header_builder_is_exactly_the_contract_header():
    assert vmbo_header(years=(2003,)) == (
        "BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;GEMEENTENAAM;LEERWEG VMBO;VMBO SECTOR;"
        "EXAMENKANDIDATEN SCHOOLJAAR 2003-2004 MAN;EXAMENKANDIDATEN SCHOOLJAAR 2003-2004 VROUW")


def test_vmbo_schooljaar_header_gives_the_start_year_and_gender(vmbo_read):
    c = cell(vmbo_read.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2006-2007 MAN")
    assert (c["year"], c["gender"], c["count_value"]) == (2006, "MAN", 44)
    c = cell(vmbo_read.cells, 2, "EXAMENKANDIDATEN SCHOOLJAAR 2007-2008 MAN")
    assert (c["year"], c["gender"], c["count_value"]) == (2007, "MAN", 1041)
    assert sorted(set(zip(vmbo_read.cells["year"].dropna(), vmbo_read.cells["gender"].dropna()))) == [
        (2006, "MAN"), (2006, "VROUW"), (2007, "MAN"), (2007, "VROUW")]
    assert set(vmbo_read.cells["column_header"].dropna()) == {
        vmbo_count_header(y, g) for y in (2006, 2007) for g in ("MAN", "VROUW")}


def test_vmbo_counts_mask_and_empty(vmbo_read):
    masked = cell(vmbo_read.cells, 2, vmbo_count_header(2006, "VROUW"))
    assert masked["raw_value"] == "<5" and pd.isna(masked["count_value"]) and bool(masked["is_masked"])
    empty = cell(vmbo_read.cells, 2, vmbo_count_header(2007, "VROUW"))
    assert empty["raw_value"] == "" and empty["count_value"] == 0 and not empty["is_masked"]


def test_vmbo_leerweg_full_names_map_to_codes(vmbo_read):
    leerwegen = {line: at_line(vmbo_read.cells, line).iloc[0]["leerweg"] for line in (2, 3, 4, 5, 7)}
    assert leerwegen == {2: "BB", 3: "KB", 4: "GL", 5: "TL", 7: "TL"}


def test_vmbo_sector_values_are_normalised(vmbo_read):
    sectors = {line: at_line(vmbo_read.cells, line).iloc[0]["vmbo_sector"] for line in (2, 3, 4, 5, 7)}
    assert sectors == {2: "techniek", 3: "zorg en welzijn", 4: "economie", 5: "landbouw", 7: "zorg en welzijn"}


def test_vmbo_codes_and_branches(vmbo_read):
    first = at_line(vmbo_read.cells, 2).iloc[0]
    assert (first["instellingscode"], first["vestigingsnummer"]) == ("02ZT", "00")
    last = at_line(vmbo_read.cells, 7).iloc[0]
    assert (last["instellingscode"], last["vestigingsnummer"]) == ("00AB", "01")


def test_vmbo_unknown_leerweg_is_quarantined_with_its_line(vmbo_read):
    q = vmbo_read.quarantined
    assert sorted(q["line_number"].unique().tolist()) == [6]
    assert sorted(q["raw_value"]) == ["13", "14", "15", "16"]
    assert q["reason"].str.contains("LEERWEG VMBO").all() and q["reason"].str.contains("praktijkonderwijs").all()
    assert at_line(vmbo_read.cells, 6)["count_value"].isna().all()
    assert good_lines(vmbo_read) == [2, 3, 4, 5, 7]


@pytest.mark.parametrize("raw, code", [
    ("BB", "BB"), ("kb", "KB"), ("GL", "GL"), ("tl", "TL"),
    ("Basisberoepsgerichte Leerweg", "BB"), ("kaderberoepsgerichte leerweg", "KB"),
    ("GEMENGDE LEERWEG", "GL"), ("Theoretische  leerweg", "TL"),
])
def test_vmbo_every_leerweg_spelling(raw, code):
    read = read_delivery(VMBO_EXAMENKANDIDATEN, semicolon_file(vmbo_header(), vmbo_row(["1", "2", "3", "4"],
                                                                                       leerweg=raw)), VMBO_FILE)
    assert read.quarantined.empty
    assert read.cells["leerweg"].unique().tolist() == [code]


def test_vmbo_plain_year_headers_are_not_count_columns():
    """A vmbo file says `EXAMENKANDIDATEN SCHOOLJAAR 2006-2007 MAN`; `2006 MAN` is another dataset's header."""
    header = ";".join([*vmbo_header(years=()).split(";"), "2006 MAN", "2006 VROUW"])
    with pytest.raises(RejectedFile) as exc:
        read_delivery(VMBO_EXAMENKANDIDATEN, semicolon_file(header, vmbo_row(["1", "2"])), VMBO_FILE)
    assert exc.value.line == 1 and "year count columns" in exc.value.reason


# =================================================================================================
# Files in the wrong folder are rejected whole at line 1 (section 9)
# =================================================================================================
HO_W = w_file(w_row(["1", "2", "3", "4"]))
MBO = semicolon_file(mbo_header(), mbo_row(["1", "2", "3", "4"]))
VO = semicolon_file(vo_header(), vo_row(["1", "2", "3", "4"]))
VMBO = semicolon_file(vmbo_header(), vmbo_row(["1", "2", "3", "4"]))


@pytest.mark.parametrize("spec, data, missing", [
    (VMBO_EXAMENKANDIDATEN, HO_W,
     ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "LEERWEG VMBO", "VMBO SECTOR"]),
    (MBO_GEDIPLOMEERDEN, HO_W,
     ["BRIN NUMMER", "INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE", "KWALIFICATIE NAAM",
      "KWALIFICATIENIVEAU", "TYPE MBO"]),
    (VO_PROFIELKEUZE, MBO,
     ["VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING", "PROVINCIE VESTIGING",
      "ONDERWIJSTYPE VO", "LEERJAAR", "PROFIEL"]),
    (MBO_EERSTEJAARS, VO,
     ["INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE", "KWALIFICATIE NAAM",
      "KWALIFICATIENIVEAU", "TYPE MBO"]),
    (VMBO_EXAMENKANDIDATEN, VO, ["GEMEENTENAAM", "LEERWEG VMBO", "VMBO SECTOR"]),
    (VO_PROFIELKEUZE, VMBO,
     ["PLAATSNAAM VESTIGING", "PROVINCIE VESTIGING", "ONDERWIJSTYPE VO", "LEERJAAR", "PROFIEL"]),
    (VMBO_EXAMENKANDIDATEN, MBO,
     ["VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM", "LEERWEG VMBO", "VMBO SECTOR"]),
    (HO_EERSTEJAARS, MBO, ["INSTELLINGSCODE ACTUEEL", "ONDERDEEL"]),
], ids=["ho-as-vmbo", "ho-as-mbo", "mbo-as-vo", "vo-as-mbo", "vo-as-vmbo", "vmbo-as-vo", "mbo-as-vmbo",
        "mbo-as-ho"])
def test_file_of_another_dataset_is_rejected_at_line_1_naming_the_missing_columns(spec, data, missing):
    display = f"duo/{spec.name}/2008-03-17_misplaced.csv"
    with pytest.raises(RejectedFile) as exc:
        read_delivery(spec, data, display)
    assert exc.value.path == display and exc.value.line == 1
    assert spec.name in exc.value.reason
    assert exc.value.reason.endswith("missing column(s) " + ", ".join(missing))


def test_ho_long_file_in_an_mbo_folder_is_rejected_at_line_1():
    data = l_file(l_row(2006, "MAN", "5"))
    with pytest.raises(RejectedFile) as exc:
        read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)
    assert exc.value.line == 1 and exc.value.path == MBO_FILE and "mbo_gediplomeerden" in exc.value.reason


# =================================================================================================
# ingest_dataset for vmbo_examenkandidaten
# =================================================================================================
VMBO_DATA = semicolon_file(
    vmbo_header(),
    vmbo_row(["44", "<5", "1.041", ""], leerweg="basisberoepsgerichte leerweg"),   # line 2
    vmbo_row(["1", "2", "3", "4"], leerweg="praktijkonderwijs"),                  # line 3: quarantined
    vmbo_row(["12", "3", "13", "4"], code="00AB", vestiging="00AB01", leerweg="theoretische leerweg",
             sector="ZORG EN WELZIJN"),                                          # line 4
)


def vmbo_rows(con):
    return con.execute(
        "select delivery_file, line_number, column_header, raw_value, year, gender, count_value, is_masked, "
        "instellingscode, vestigingsnummer, leerweg, vmbo_sector, quarantine_reason "
        "from landing.vmbo_examenkandidaten order by line_number, column_header").fetchall()


def test_ingest_vmbo_lands_cells_with_provenance(con, raw_dir):
    put(raw_dir, VMBO_FILE, VMBO_DATA)
    report = ingest_dataset(con, raw_dir, "vmbo_examenkandidaten", "run-1")
    assert report.new_deliveries == [VMBO_FILE] and report.rejected == [] and report.ignored == []
    rows = vmbo_rows(con)
    assert len(rows) == 12
    h = vmbo_count_header
    assert (VMBO_FILE, 2, h(2006, "MAN"), "44", 2006, "MAN", 44, False, "02ZT", "00", "BB", "techniek", None) in rows
    assert (VMBO_FILE, 2, h(2006, "VROUW"), "<5", 2006, "VROUW", None, True, "02ZT", "00", "BB", "techniek",
            None) in rows
    assert (VMBO_FILE, 2, h(2007, "MAN"), "1.041", 2007, "MAN", 1041, False, "02ZT", "00", "BB", "techniek",
            None) in rows
    assert (VMBO_FILE, 2, h(2007, "VROUW"), "", 2007, "VROUW", 0, False, "02ZT", "00", "BB", "techniek",
            None) in rows
    assert (VMBO_FILE, 4, h(2006, "MAN"), "12", 2006, "MAN", 12, False, "00AB", "01", "TL", "zorg en welzijn",
            None) in rows
    bad = [r for r in rows if r[1] == 3]
    assert len(bad) == 4 and all(r[6] is None and "praktijkonderwijs" in r[12] for r in bad)
    assert sorted(r[3] for r in bad) == ["1", "2", "3", "4"]
    registry = con.execute("select dataset, delivery_file, sha256, layout, n_cells, n_quarantined "
                           "from landing.deliveries").fetchall()
    assert registry == [("vmbo_examenkandidaten", VMBO_FILE, hashlib.sha256(VMBO_DATA).hexdigest(), "W", 12, 4)]
    assert {(q["delivery_file"], q["line_number"]) for q in report.quarantined} == {(VMBO_FILE, 3)}


def test_ingest_vmbo_rerun_does_not_duplicate(con, raw_dir):
    put(raw_dir, VMBO_FILE, VMBO_DATA)
    ingest_dataset(con, raw_dir, "vmbo_examenkandidaten", "run-1")
    before = vmbo_rows(con)
    report = ingest_dataset(con, raw_dir, "vmbo_examenkandidaten", "run-2")
    assert report.new_deliveries == [] and report.known_deliveries == [VMBO_FILE] and report.rejected == []
    assert vmbo_rows(con) == before
    assert con.execute("select count(*) from landing.vmbo_examenkandidaten").fetchall() == [(12,)]
    assert con.execute("select count(*) from landing.deliveries").fetchall() == [(1,)]


def test_ingest_vmbo_rejects_a_misplaced_ho_file_and_keeps_the_good_delivery(con, raw_dir):
    put(raw_dir, VMBO_FILE, VMBO_DATA)
    misplaced = "duo/vmbo_examenkandidaten/2009-03-16_eerstejaars_ho.csv"
    put(raw_dir, misplaced, HO_W)
    report = ingest_dataset(con, raw_dir, "vmbo_examenkandidaten", "run-1")
    assert report.new_deliveries == [VMBO_FILE]
    [rejected] = report.rejected
    assert rejected.path == misplaced and rejected.line == 1 and "LEERWEG VMBO" in rejected.reason
    assert con.execute("select dataset, delivery_file, sha256, line from landing.rejections").fetchall() == [
        ("vmbo_examenkandidaten", misplaced, hashlib.sha256(HO_W).hexdigest(), 1)]
    assert con.execute("select distinct delivery_file from landing.vmbo_examenkandidaten").fetchall() == [
        (VMBO_FILE,)]
    assert con.execute("select delivery_file from landing.deliveries").fetchall() == [(VMBO_FILE,)]


# =================================================================================================
# programs/*.csv (section 7)
# =================================================================================================
PROG_A = "programs/participation_2007.csv"
PROG_B = "programs/participation_sprint.csv"
PROG_A_DATA = program_file("13QA;UNIVERSUM;2005;", "13QA;JET-NET;2003;2006", "", "02ZT;VMBO-AMBITIE;2006;")
PROG_B_DATA = program_file("25KB;HBO-SPRINT;2004;2007", "21PM;WO-SPRINT;2004;2004")


KNOWN_INSTITUTIONS = ("13QA", "02ZT", "25KB", "21PM")


def ingest_programs(con, raw_dir, run_id):
    """As in a real run, `reference/institutions.csv` is loaded first and knows the codes these files name."""
    con.execute("create schema if not exists landing")
    con.execute("create table if not exists landing.institutions as select unnest(?::varchar[]) as instellingscode",
                [list(KNOWN_INSTITUTIONS)])
    return _ingest_programs(con, raw_dir, run_id)


def program_rows(con, source_file=None):
    sql = ("select instellingscode, programma, vanaf, tot_en_met, line_number, source_file "
           "from landing.program_participation")
    params = []
    if source_file is not None:
        sql += " where source_file = ?"
        params.append(source_file)
    return con.execute(sql + " order by source_file, line_number", params).fetchall()


def test_programs_valid_file_loads_with_empty_tot_en_met(con, raw_dir):
    put(raw_dir, PROG_A, PROG_A_DATA)
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_A]
    assert summary["rejected"] == [] and summary["ignored"] == [] and summary["removed"] == []
    assert program_rows(con) == [
        ("13QA", "UNIVERSUM", "2005", "", 2, PROG_A),
        ("13QA", "JET-NET", "2003", "2006", 3, PROG_A),
        ("02ZT", "VMBO-AMBITIE", "2006", "", 5, PROG_A),  # a blank line does not shift line numbers
    ]
    assert con.execute("select distinct sha256 from landing.program_participation").fetchall() == [
        (hashlib.sha256(PROG_A_DATA).hexdigest(),)]


def test_programs_header_is_exactly_the_contract_header(con, raw_dir):
    assert PROGRAMS_HEADER == "instellingscode;programma;vanaf;tot_en_met"
    put(raw_dir, PROG_A, program_file("13QA;VTB;2005;", header="instellingscode;programma;vanaf;tot"))
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [] and len(summary["rejected"]) == 1 and "line 1" in summary["rejected"][0]
    assert program_rows(con) == []


@pytest.mark.parametrize("bad_row, needle, column", [
    ("13QA;FOO;2005;", "unknown programma", "programma"),
    ("13qa;VTB;2005;", "institution code", "instellingscode"),
    ("13QA;VTB;05;", "vanaf is not a year", "vanaf"),
    ("13QA;VTB;2005;20x7", "tot_en_met is not a year", "tot_en_met"),
    ("13QA;VTB;2005;2003", "tot_en_met is before vanaf", None),
])
def test_programs_bad_file_is_rejected_and_keeps_its_previous_rows(con, raw_dir, bad_row, needle, column):
    path = put(raw_dir, PROG_A, PROG_A_DATA)
    put(raw_dir, PROG_B, PROG_B_DATA)
    ingest_programs(con, raw_dir, "run-1")
    before = program_rows(con)
    assert len(before) == 5
    bad = program_file("13QA;UNIVERSUM;2005;", bad_row)
    path.write_bytes(bad)

    summary = ingest_programs(con, raw_dir, "run-2")
    assert summary["loaded"] == [PROG_B] and summary["removed"] == []
    [reason] = summary["rejected"]
    assert reason.startswith(f"{PROG_A}, line 3") and needle in reason
    assert program_rows(con) == before  # the previously loaded rows of the rejected file stay
    assert con.execute("select distinct sha256 from landing.program_participation where source_file = ?",
                       [PROG_A]).fetchall() == [(hashlib.sha256(PROG_A_DATA).hexdigest(),)]
    recorded = con.execute("select run_id, dataset, delivery_file, sha256, line, column_header, reason "
                           "from landing.rejections").fetchall()
    assert len(recorded) == 1
    run_id, dataset, file, digest, line, column_header, text = recorded[0]
    assert (run_id, dataset, file, digest, line) == ("run-2", "programs", PROG_A, hashlib.sha256(bad).hexdigest(), 3)
    assert needle in text
    if column is not None:
        assert column_header == column


def test_programs_tot_en_met_before_vanaf_names_the_right_column_and_value(con, raw_dir):
    put(raw_dir, PROG_A, program_file("13QA;VTB;2005;2003"))
    summary = ingest_programs(con, raw_dir, "run-1")
    [reason] = summary["rejected"]
    assert "tot_en_met is before vanaf" in reason
    assert con.execute("select line, column_header from landing.rejections").fetchall() == [(2, "tot_en_met")]
    assert "'2003'" in reason and "'13QA'" not in reason


def test_programs_rejected_file_without_previous_rows_loads_nothing_but_others_load(con, raw_dir):
    put(raw_dir, PROG_A, program_file("13QA;FOO;2005;"))
    put(raw_dir, PROG_B, PROG_B_DATA)
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_B] and len(summary["rejected"]) == 1
    assert {r[5] for r in program_rows(con)} == {PROG_B}


def test_programs_deleted_file_rows_are_removed(con, raw_dir):
    put(raw_dir, PROG_A, PROG_A_DATA)
    path_b = put(raw_dir, PROG_B, PROG_B_DATA)
    ingest_programs(con, raw_dir, "run-1")
    assert {r[5] for r in program_rows(con)} == {PROG_A, PROG_B}
    path_b.unlink()
    summary = ingest_programs(con, raw_dir, "run-2")
    assert summary["removed"] == [PROG_B]
    assert program_rows(con, PROG_B) == []
    assert len(program_rows(con, PROG_A)) == 3


def test_programs_deleting_the_last_file_empties_the_table(con, raw_dir):
    path = put(raw_dir, PROG_A, PROG_A_DATA)
    ingest_programs(con, raw_dir, "run-1")
    path.unlink()
    summary = ingest_programs(con, raw_dir, "run-2")
    assert summary["removed"] == [PROG_A] and program_rows(con) == []


def test_programs_non_csv_files_are_reported_as_ignored(con, raw_dir):
    put(raw_dir, PROG_A, PROG_A_DATA)
    put(raw_dir, "programs/notes.txt", b"13QA;VTB;2005;\n")
    put(raw_dir, "programs/participation_2008.xlsx", b"PK\x03\x04not really a workbook")
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_A] and summary["rejected"] == []
    assert len(summary["ignored"]) == 2
    assert any(i.startswith("programs/notes.txt") and "ignored" in i for i in summary["ignored"])
    assert any(i.startswith("programs/participation_2008.xlsx") for i in summary["ignored"])
    assert {r[5] for r in program_rows(con)} == {PROG_A}
    assert con.execute("select count(*) from landing.rejections").fetchall() == [(0,)]


def test_programs_two_files_load_side_by_side_and_reload_without_duplicates(con, raw_dir):
    path_a = put(raw_dir, PROG_A, PROG_A_DATA)
    put(raw_dir, PROG_B, PROG_B_DATA)
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_A, PROG_B]
    assert program_rows(con, PROG_B) == [
        ("25KB", "HBO-SPRINT", "2004", "2007", 2, PROG_B), ("21PM", "WO-SPRINT", "2004", "2004", 3, PROG_B)]
    assert len(program_rows(con)) == 5

    ingest_programs(con, raw_dir, "run-2")  # same files again: replaced per file, not appended
    assert len(program_rows(con)) == 5

    path_a.write_bytes(program_file("13QA;VTB;2007;"))  # a new version of one file replaces only its rows
    ingest_programs(con, raw_dir, "run-3")
    assert program_rows(con, PROG_A) == [("13QA", "VTB", "2007", "", 2, PROG_A)]
    assert len(program_rows(con, PROG_B)) == 2


def test_mbo_last_data_line_with_a_mistyped_code_is_quarantined_not_taken_for_a_footer():
    data = semicolon_file(mbo_header(), mbo_row(["1", "2", "3", "4"]), mbo_row(["5", "6", "7", "8"], code="2ZT"),
                          "", FOOTER)
    read = read_delivery(MBO_GEDIPLOMEERDEN, data, MBO_FILE)
    assert read.quarantined["line_number"].tolist() == [3]
    assert "institution code" in read.quarantined["reason"].iloc[0]


def quarantined_program_rows(con):
    return con.execute("select source_file, line_number, instellingscode, programma, column_header, reason "
                       "from landing.program_quarantine order by source_file, line_number").fetchall()


def test_programs_row_naming_an_unknown_institution_is_quarantined_and_the_rest_loads(con, raw_dir):
    data = program_file("13QA;VTB;2005;", "99ZZ;VTB;2004;", "98ZY;UNIVERSUM;2005;2007")
    put(raw_dir, PROG_A, data)
    summary = ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_A] and summary["rejected"] == []
    assert program_rows(con) == [("13QA", "VTB", "2005", "", 2, PROG_A)]
    reason = "unknown institution code (not in reference/institutions.csv)"
    assert quarantined_program_rows(con) == [(PROG_A, 3, "99ZZ", "VTB", "instellingscode", reason),
                                             (PROG_A, 4, "98ZY", "UNIVERSUM", "instellingscode", reason)]
    assert [(q["delivery_file"], q["line_number"], q["raw_value"]) for q in summary["quarantined"]] == [
        (PROG_A, 3, "99ZZ"), (PROG_A, 4, "98ZY")]
    assert summary["quarantined"][0]["reason"] == f"{reason}; program VTB is blocked"
    assert con.execute("select distinct sha256 from landing.program_quarantine").fetchall() == [
        (hashlib.sha256(data).hexdigest(),)]

    # corrected file: the quarantine of that file goes, its rows load
    put(raw_dir, PROG_A, program_file("13QA;VTB;2005;", "02ZT;VTB;2004;"))
    summary = ingest_programs(con, raw_dir, "run-2")
    assert summary["quarantined"] == [] and quarantined_program_rows(con) == []
    assert len(program_rows(con)) == 2


def test_programs_quarantine_follows_its_file(con, raw_dir):
    bad = program_file("99ZZ;VTB;2004;")
    path = put(raw_dir, PROG_A, bad)
    ingest_programs(con, raw_dir, "run-1")
    assert len(quarantined_program_rows(con)) == 1
    path.write_bytes(program_file("13QA;FOO;2005;"))  # rejected: the file's earlier rows and quarantine stay
    summary = ingest_programs(con, raw_dir, "run-2")
    assert len(summary["rejected"]) == 1 and len(quarantined_program_rows(con)) == 1
    path.unlink()  # removed: its quarantine goes too
    summary = ingest_programs(con, raw_dir, "run-3")
    assert summary["removed"] == [PROG_A] and quarantined_program_rows(con) == []


def test_programs_without_a_loaded_institutions_reference_quarantine_every_row(con, raw_dir):
    put(raw_dir, PROG_B, PROG_B_DATA)
    summary = _ingest_programs(con, raw_dir, "run-1")
    assert summary["loaded"] == [PROG_B] and program_rows(con) == []
    assert [q[2] for q in quarantined_program_rows(con)] == ["25KB", "21PM"]
    assert all("no institutions reference loaded" in q[5] for q in quarantined_program_rows(con))
