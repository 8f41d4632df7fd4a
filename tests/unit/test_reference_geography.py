"""Geography in the reference files (issue 20): institutions.csv's optional last column `provincie`
and the optional reference/gemeenten.csv (municipalities, their mergers and provinces)."""

from __future__ import annotations

import hashlib

import pytest

from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reference import REFERENCES, ingest_reference, read_reference

from ._raw import put

INSTITUTIONS = REFERENCES["institutions"]
GEMEENTEN = REFERENCES["gemeenten"]
OLD_HEADER = "instellingscode;naam;soort;opgegaan_in;per_jaar\n"
NEW_HEADER = "instellingscode;naam;soort;opgegaan_in;per_jaar;provincie\n"
G_HEADER = "gemeentenummer;gemeentenaam;provincie;opgegaan_in;andere_namen\n"


def institutions(*rows: str, header: str = NEW_HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode("utf-8")


def gemeenten(*rows: str, header: str = G_HEADER) -> bytes:
    return (header + "".join(r + "\n" for r in rows)).encode("utf-8")


def rejection(spec, data: bytes) -> RejectedFile:
    """What reading `data` as the reference file `spec` rejects (fails the test when it is accepted)."""
    with pytest.raises(RejectedFile) as caught:
        read_reference(spec, data)
    return caught.value


# As in raw/reference/gemeenten.csv: Sneek merged into Súdwest-Fryslân, Den Haag as an other name.
GEMEENTEN_OK = gemeenten(
    "0091;Sneek;;1900;",
    "1900;Súdwest-Fryslân;Fryslân;;",
    "0518;'s-Gravenhage;ZUID HOLLAND;;Den Haag",
    "0344;Utrecht;Utrecht;;",
)


# --- institutions.csv: provincie ------------------------------------------------------------------
def test_institutions_without_the_provincie_column_still_load_with_it_empty(con, raw_dir):
    put(raw_dir, "reference/institutions.csv", institutions("00IC;Hogeschool Bèta;hbo;;", "21PM;Radboud;wo;;",
                                                           header=OLD_HEADER))
    result = ingest_reference(con, raw_dir, "institutions", "run-1")
    assert result["rows"] == 2
    assert con.execute("select instellingscode, provincie, line_number from landing.institutions order by 1"
                       ).fetchall() == [("00IC", "", 2), ("21PM", "", 3)]


def test_institutions_provincie_spellings_land_as_the_official_name(con, raw_dir):
    put(raw_dir, "reference/institutions.csv", institutions(
        "00IC;Avans Hogeschool;hbo;;;Noord Brabant", "21PM;Radboud;wo;;;GELDERLAND",
        "22AB;NHL Stenden;hbo;;;Friesland", "23CD;Zonder Provincie;hbo;;;"))
    ingest_reference(con, raw_dir, "institutions", "run-1")
    assert con.execute("select instellingscode, provincie from landing.institutions order by 1").fetchall() == [
        ("00IC", "Noord-Brabant"), ("21PM", "Gelderland"), ("22AB", "Fryslân"), ("23CD", "")]


def test_institutions_unknown_provincie_rejects_the_file_naming_line_and_column():
    data = institutions("00IC;Avans Hogeschool;hbo;;;Noord-Brabant", "21PM;Radboud;wo;;;Brabant-Noord")
    rejected = rejection(INSTITUTIONS, data)
    assert (rejected.line, rejected.column) == (3, "provincie")
    assert "provincie is not one of the 12 provinces" in rejected.reason
    assert "Brabant-Noord" in rejected.reason


def test_institutions_unknown_provincie_keeps_the_previous_table(con, raw_dir):
    path = put(raw_dir, "reference/institutions.csv", institutions("00IC;Avans Hogeschool;hbo;;;Noord-Brabant"))
    ingest_reference(con, raw_dir, "institutions", "run-1")
    path.write_bytes(institutions("00IC;Avans Hogeschool;hbo;;;Brabant-Noord"))
    result = ingest_reference(con, raw_dir, "institutions", "run-2")
    assert result["kept_previous"] is True
    assert result["rejected"].startswith("reference/institutions.csv, line 2, column 'provincie'")
    assert con.execute("select instellingscode, provincie from landing.institutions").fetchall() == [
        ("00IC", "Noord-Brabant")]


@pytest.mark.parametrize("header", [
    "instellingscode;naam;soort;opgegaan_in\n",                           # a required column left out
    "instellingscode;naam;soort;opgegaan_in;per_jaar;provincie;extra\n",  # one too many
    "instellingscode;naam;soort;opgegaan_in;provincie;per_jaar\n",        # out of order
])
def test_institutions_header_may_only_leave_out_the_last_optional_column(header):
    rejected = rejection(INSTITUTIONS, (header + "00IC;A;hbo;;;\n").encode("utf-8"))
    assert rejected.line == 1 and "header must be" in rejected.reason


def test_institutions_old_header_with_a_provincie_field_in_a_row_is_rejected():
    rejected = rejection(INSTITUTIONS, institutions("00IC;A;hbo;;;Utrecht", header=OLD_HEADER))
    assert rejected.line == 2 and "expected 5 fields, found 6" in rejected.reason


# --- gemeenten.csv ---------------------------------------------------------------------------------
def test_gemeenten_load_with_provinces_normalised_and_mergers(con, raw_dir):
    put(raw_dir, "reference/gemeenten.csv", GEMEENTEN_OK)
    result = ingest_reference(con, raw_dir, "gemeenten", "run-1")
    assert result == {"file": "reference/gemeenten.csv", "sha256": hashlib.sha256(GEMEENTEN_OK).hexdigest(),
                      "rows": 4}
    assert con.execute("select gemeentenummer, gemeentenaam, provincie, opgegaan_in, andere_namen, line_number "
                       "from landing.gemeenten order by line_number").fetchall() == [
        ("0091", "Sneek", "", "1900", "", 2),
        ("1900", "Súdwest-Fryslân", "Fryslân", "", "", 3),
        ("0518", "'s-Gravenhage", "Zuid-Holland", "", "Den Haag", 4),
        ("0344", "Utrecht", "Utrecht", "", "", 5)]


def test_gemeenten_merger_into_an_unknown_number_is_rejected_with_its_line():
    data = gemeenten("1900;Súdwest-Fryslân;Fryslân;;", "0091;Sneek;;1901;")
    rejected = rejection(GEMEENTEN, data)
    assert (rejected.line, rejected.column) == (3, "opgegaan_in")
    assert "0091 merges into 1901 (opgegaan_in)" in rejected.reason
    assert "municipality code in this file" in rejected.reason


def test_gemeenten_merger_cycle_is_rejected_naming_the_cycle():
    data = gemeenten("1900;Súdwest-Fryslân;Fryslân;;", "0091;Sneek;;0140;", "0140;Littenseradiel;;0091;")
    rejected = rejection(GEMEENTEN, data)
    assert (rejected.line, rejected.column) == (3, "opgegaan_in")
    assert "merger cycle 0091 -> 0140 -> 0091 (opgegaan_in, lines 3, 4)" in rejected.reason
    assert "no surviving municipality" in rejected.reason


def test_gemeenten_current_municipality_without_a_province_is_rejected():
    data = gemeenten("0091;Sneek;;1900;", "1900;Súdwest-Fryslân;;;")
    rejected = rejection(GEMEENTEN, data)
    assert (rejected.line, rejected.column) == (3, "provincie")
    assert "1900 Súdwest-Fryslân has neither a provincie nor opgegaan_in" in rejected.reason


@pytest.mark.parametrize("row, line, column", [
    ("0518;'s-Gravenhage;Zuid-Hollant;;Den Haag", 3, "provincie"),
    ("518;'s-Gravenhage;Zuid-Holland;;", 3, "gemeentenummer"),
    ("0518;;Zuid-Holland;;", 3, "gemeentenaam"),
    ("0518;'s-Gravenhage;Zuid-Holland;GM0344;", 3, "opgegaan_in"),
])
def test_gemeenten_bad_values_reject_the_file_with_line_and_column(row, line, column):
    rejected = rejection(GEMEENTEN, gemeenten("0344;Utrecht;Utrecht;;", row))
    assert (rejected.line, rejected.column) == (line, column)


def test_missing_gemeenten_file_lands_an_empty_table(con, raw_dir):
    result = ingest_reference(con, raw_dir, "gemeenten", "run-1")
    assert result == {"file": "reference/gemeenten.csv", "missing": True, "rows_kept": 0}
    assert con.execute("select count(*) from landing.gemeenten").fetchall() == [(0,)]
    columns = [c for (c,) in con.execute("select column_name from information_schema.columns where "
                                         "table_schema = 'landing' and table_name = 'gemeenten' "
                                         "order by ordinal_position").fetchall()]
    assert columns == ["gemeentenummer", "gemeentenaam", "provincie", "opgegaan_in", "andere_namen",
                       "line_number", "source_file", "sha256"]
    assert con.execute("select count(*) from landing.rejections").fetchall() == [(0,)]


def test_missing_gemeenten_file_keeps_the_previously_loaded_rows(con, raw_dir):
    path = put(raw_dir, "reference/gemeenten.csv", GEMEENTEN_OK)
    ingest_reference(con, raw_dir, "gemeenten", "run-1")
    path.unlink()
    result = ingest_reference(con, raw_dir, "gemeenten", "run-2")
    assert result == {"file": "reference/gemeenten.csv", "missing": True, "rows_kept": 4}
    assert con.execute("select count(*) from landing.gemeenten where provincie = 'Fryslân'").fetchall() == [(1,)]


def test_rejected_gemeenten_file_keeps_the_previous_table_and_records_the_rejection(con, raw_dir):
    path = put(raw_dir, "reference/gemeenten.csv", GEMEENTEN_OK)
    ingest_reference(con, raw_dir, "gemeenten", "run-1")
    path.write_bytes(gemeenten("0091;Sneek;;1900;", "1900;Súdwest-Fryslân;;;"))
    result = ingest_reference(con, raw_dir, "gemeenten", "run-2")
    assert result["kept_previous"] is True and "neither a provincie nor opgegaan_in" in result["rejected"]
    assert con.execute("select count(*) from landing.gemeenten").fetchall() == [(4,)]
    assert con.execute("select run_id, dataset, line, column_header from landing.rejections").fetchall() == [
        ("run-2", "gemeenten", 3, "provincie")]


def test_the_shipped_gemeenten_file_is_accepted():
    from pipelines.paths import REPO_ROOT

    frame = read_reference(GEMEENTEN, (REPO_ROOT / "raw" / "reference" / "gemeenten.csv").read_bytes())
    assert len(frame) > 342
    assert frame.loc[frame["gemeentenummer"] == "0091", "opgegaan_in"].tolist() == ["1900"]
