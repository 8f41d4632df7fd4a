"""Province and municipality columns of DUO's files (issue 20) through `read_delivery`: HO files land
PROVINCIE (PROVINCIENAAM in the API tables) and GEMEENTENAAM; HO's and vo_profielkeuze's province is
normalised to the official name of seed provinces, and a spelling that matches none quarantines the
cells of its line with a reason naming the column."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.ingest.datasets import HO_EERSTEJAARS, VO_PROFIELKEUZE
from pipelines.ingest.deliveries import ingest_dataset, read_delivery

from ._raw import l_file, l_header, l_row, put, w_file, w_row
from ._sector_raw import semicolon_file, vo_header, vo_row

HO_FILE = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
VO_FILE = "duo/vo_profielkeuze/2008-03-17_profielkeuze_vo.csv"
COUNT_COLUMNS = ["2003 MAN", "2003 VROUW", "2004 MAN", "2004 VROUW"]


def wide(counts, provincie: str, **kwargs) -> str:
    """w_row (PROVINCIE `Gelderland`) with another province as written."""
    row = w_row(counts, **kwargs)
    assert row.startswith("Gelderland;")
    return provincie + row[len("Gelderland"):]


def long(year, gender, count, provincie: str, **kwargs) -> str:
    """l_row (PROVINCIENAAM `GELDERLAND`) with another province as written."""
    row = l_row(year, gender, count, **kwargs)
    assert '"GELDERLAND"' in row
    return row.replace('"GELDERLAND"', f'"{provincie}"', 1)


def at_line(frame: pd.DataFrame, line: int) -> pd.DataFrame:
    return frame[frame["line_number"].eq(line).fillna(False).astype(bool)]


def province_of(read, line: int) -> str:
    values = at_line(read.cells, line)["provincie"].unique().tolist()
    assert len(values) == 1, values
    return values[0]


# --- HO wide (W) ---------------------------------------------------------------------------------
@pytest.fixture
def misspelled_wide():
    data = w_file(
        wide(["10", "11", "12", "13"], "Noord Brabant", opleidingscode="56860"),   # line 2
        wide(["20", "21", "22", "23"], "Noord-Braband", opleidingscode="56861"),   # line 3: misspelled
        wide(["30", "31", "32", "33"], "Friesland", opleidingscode="56862"),       # line 4: other name
        wide(["40", "41", "42", "43"], "", opleidingscode="56863"),                # line 5: none stated
    )
    return read_delivery(HO_EERSTEJAARS, data, HO_FILE)


def test_misspelled_province_quarantines_every_cell_of_its_line(misspelled_wide):
    q = at_line(misspelled_wide.quarantined, 3)
    assert sorted(q["column_header"]) == COUNT_COLUMNS
    assert q["reason"].str.startswith("PROVINCIE: PROVINCIE is not one of the 12 provinces").all()
    assert q["reason"].str.contains("'Noord-Braband'").all()
    assert sorted(misspelled_wide.quarantined["line_number"].unique().tolist()) == [3]
    landed = at_line(misspelled_wide.cells, 3)
    assert set(landed["quarantine_reason"]) == set(q["reason"])
    assert landed["count_value"].isna().all()


def test_other_lines_land_with_the_official_province_name(misspelled_wide):
    good = misspelled_wide.cells[misspelled_wide.cells["quarantine_reason"].isna()]
    assert sorted(good["line_number"].unique().tolist()) == [2, 4, 5]
    assert province_of(misspelled_wide, 2) == "Noord-Brabant"
    assert province_of(misspelled_wide, 4) == "Fryslân"
    assert at_line(misspelled_wide.cells, 5)["provincie"].isna().all()  # none stated: no province, not quarantined
    assert at_line(misspelled_wide.cells, 2)["count_value"].tolist() == [10, 11, 12, 13]


def test_wide_file_lands_the_municipality_name_and_number(misspelled_wide):
    line = at_line(misspelled_wide.cells, 2).iloc[0]
    assert (line["gemeentenummer"], line["gemeentenaam"]) == ("0268", "NIJMEGEN")


@pytest.mark.parametrize("written", ["Friesland", "FRYSLÂN", "Fryslân", "fryslan", "FRIESLAND"])
def test_every_spelling_of_fryslan_lands_as_one_province(written):
    read = read_delivery(HO_EERSTEJAARS, w_file(wide(["1", "2", "3", "4"], written)), HO_FILE)
    assert read.quarantined.empty, read.quarantined.to_dict("records")
    assert read.cells["provincie"].unique().tolist() == ["Fryslân"]


# --- HO long (L): PROVINCIENAAM of the API tables ------------------------------------------------
def test_long_file_provincienaam_lands_as_the_province_in_upper_case_spellings():
    data = l_file(
        long(2006, "MAN", "5", "FRYSLÂN"),                          # line 2
        long(2006, "VROUW", "6", "NOORD-BRABANT", code="00IC"),     # line 3
        long(2006, "MAN", "7", "ZUID HOLLAND", code="21PN"),        # line 4
    )
    read = read_delivery(HO_EERSTEJAARS, data, HO_FILE)
    assert read.layout == "L" and read.quarantined.empty, read.quarantined.to_dict("records")
    assert {line: province_of(read, line) for line in (2, 3, 4)} == {
        2: "Fryslân", 3: "Noord-Brabant", 4: "Zuid-Holland"}
    assert set(read.cells["gemeentenaam"]) == {"NIJMEGEN"} and set(read.cells["gemeentenummer"]) == {"0268"}


def test_long_file_with_provincie_header_reads_as_with_provincienaam():
    rows = [long(2006, "MAN", "5", "FRIESLAND"), long(2006, "VROUW", "6", "GRONINGEN")]
    api = read_delivery(HO_EERSTEJAARS, l_file(*rows), HO_FILE)
    plain = read_delivery(HO_EERSTEJAARS, l_file(*rows, header=l_header().replace("PROVINCIENAAM", "PROVINCIE")),
                          HO_FILE)
    assert api.cells["provincie"].tolist() == plain.cells["provincie"].tolist() == ["Fryslân", "Groningen"]


def test_long_file_misspelled_provincienaam_is_quarantined_naming_the_column():
    data = l_file(long(2006, "MAN", "5", "NOORD BRABAND"), long(2006, "VROUW", "6", "NOORD BRABANT"))
    read = read_delivery(HO_EERSTEJAARS, data, HO_FILE)
    assert read.quarantined[["line_number", "column_header", "raw_value"]].values.tolist() == [[2, "AANTAL", "5"]]
    reason = read.quarantined.iloc[0]["reason"]
    assert "PROVINCIE is not one of the 12 provinces" in reason and "NOORD BRABAND" in reason
    assert province_of(read, 3) == "Noord-Brabant"
    assert at_line(read.cells, 3)["count_value"].tolist() == [6]


# --- vo_profielkeuze: PROVINCIE VESTIGING ---------------------------------------------------------
def test_vo_misspelled_provincie_vestiging_is_quarantined_and_spellings_are_normalised():
    data = semicolon_file(
        vo_header(),
        vo_row(["1", "2", "3", "4"], provincie="Zuid Holand"),                  # line 2: misspelled
        vo_row(["5", "6", "7", "8"], provincie="zuid holland", profiel="NG"),   # line 3
        vo_row(["9", "9", "9", "9"], provincie="FRIESLAND", profiel="EM"),      # line 4
    )
    read = read_delivery(VO_PROFIELKEUZE, data, VO_FILE)
    q = read.quarantined
    assert sorted(q["line_number"].unique().tolist()) == [2]
    assert sorted(q["column_header"]) == COUNT_COLUMNS
    assert q["reason"].str.startswith("PROVINCIE VESTIGING: PROVINCIE VESTIGING is not one of the 12 provinces").all()
    assert q["reason"].str.contains("Zuid Holand").all()
    assert province_of(read, 3) == "Zuid-Holland" and province_of(read, 4) == "Fryslân"
    assert at_line(read.cells, 3)["quarantine_reason"].isna().all()


def test_ingest_lands_the_province_and_the_quarantined_cells_with_their_reason(con, raw_dir):
    put(raw_dir, HO_FILE, w_file(wide(["10", "11", "12", "13"], "UTRECHT", opleidingscode="56860"),
                                 wide(["20", "21", "22", "23"], "Brabant-Noord", opleidingscode="56861")))
    report = ingest_dataset(con, raw_dir, "ho_eerstejaars", "run-1")
    assert report.new_deliveries == [HO_FILE] and report.rejected == []
    rows = con.execute("select delivery_file, line_number, column_header, provincie, gemeentenaam, count_value, "
                       "quarantine_reason from landing.ho_eerstejaars order by line_number, column_header").fetchall()
    assert [r[:6] for r in rows if r[1] == 2] == [(HO_FILE, 2, h, "Utrecht", "NIJMEGEN", n)
                                                   for h, n in zip(COUNT_COLUMNS, [10, 11, 12, 13])]
    bad = [r for r in rows if r[1] == 3]
    assert [(r[2], r[5]) for r in bad] == [(h, None) for h in COUNT_COLUMNS]
    assert all(r[6].startswith("PROVINCIE: ") and "Brabant-Noord" in r[6] for r in bad)
    assert all(r[6] is None for r in rows if r[1] == 2)
    assert con.execute("select n_cells, n_quarantined from landing.deliveries").fetchall() == [(8, 4)]
