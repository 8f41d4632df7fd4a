"""Reference files: all-or-nothing; a rejected file keeps the previously loaded table."""

from __future__ import annotations

import hashlib

import pytest

from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.reference import REFERENCES, ingest_reference, read_reference

from ._raw import put

CROHO = "reference/croho_classification.csv"
CROHO_HEADER = "opleidingscode;opleidingsnaam;onderdeel;betatechniek;informatica\n"
CROHO_OK = (CROHO_HEADER + "34035;B Werktuigbouwkunde;techniek;J;N\n56860;B Scheikunde;natuur;J;N\n"
            "\n34404;B Sociaal Pedagogische Hulpverlening;gedrag en maatschappij;N;N\n").encode("utf-8")
INSTITUTIONS = ("instellingscode;naam;soort;opgegaan_in;per_jaar\n00IC;Hogeschool Bèta;hbo;;\n"
                "01MN;Noordelijke Hogeschool;hbo;00IC;2004\n").encode("utf-8")


def croho_rows(con):
    return con.execute("select opleidingscode, opleidingsnaam, onderdeel, betatechniek, informatica, line_number "
                       "from landing.croho_classification order by opleidingscode").fetchall()


def test_valid_croho_classification_loads(con, raw_dir):
    put(raw_dir, CROHO, CROHO_OK)
    result = ingest_reference(con, raw_dir, "croho_classification", "run-1")
    assert result == {"file": CROHO, "sha256": hashlib.sha256(CROHO_OK).hexdigest(), "rows": 3}
    assert croho_rows(con) == [
        ("34035", "B Werktuigbouwkunde", "techniek", "J", "N", 2),
        ("34404", "B Sociaal Pedagogische Hulpverlening", "gedrag en maatschappij", "N", "N", 5),
        ("56860", "B Scheikunde", "natuur", "J", "N", 3),
    ]
    assert con.execute("select distinct source_file, sha256 from landing.croho_classification").fetchall() == [
        (CROHO, hashlib.sha256(CROHO_OK).hexdigest())]


def test_institutions_keep_leading_zeros_and_utf8_names(con, raw_dir):
    put(raw_dir, "reference/institutions.csv", INSTITUTIONS)
    ingest_reference(con, raw_dir, "institutions", "run-1")
    assert con.execute("select instellingscode, naam, soort, opgegaan_in, per_jaar from landing.institutions "
                       "order by 1").fetchall() == [
        ("00IC", "Hogeschool Bèta", "hbo", "", ""), ("01MN", "Noordelijke Hogeschool", "hbo", "00IC", "2004")]


def test_bad_betatechniek_rejects_the_file_and_keeps_the_previous_table(con, raw_dir):
    path = put(raw_dir, CROHO, CROHO_OK)
    ingest_reference(con, raw_dir, "croho_classification", "run-1")
    before = croho_rows(con)
    bad = CROHO_OK.replace(b"56860;B Scheikunde;natuur;J;N", b"56860;B Scheikunde;natuur;X;N")
    assert bad != CROHO_OK
    path.write_bytes(bad)

    result = ingest_reference(con, raw_dir, "croho_classification", "run-2")
    assert result["kept_previous"] is True
    assert "line 3" in result["rejected"] and "betatechniek" in result["rejected"] and "'X'" in result["rejected"]
    assert croho_rows(con) == before
    assert con.execute("select distinct sha256 from landing.croho_classification").fetchall() == [
        (hashlib.sha256(CROHO_OK).hexdigest(),)]
    assert con.execute("select run_id, dataset, delivery_file, sha256, line, column_header from landing.rejections"
                       ).fetchall() == [("run-2", "croho_classification", CROHO, hashlib.sha256(bad).hexdigest(),
                                         3, "betatechniek")]


def test_a_valid_new_version_replaces_the_table_whole(con, raw_dir):
    path = put(raw_dir, CROHO, CROHO_OK)
    ingest_reference(con, raw_dir, "croho_classification", "run-1")
    path.write_bytes((CROHO_HEADER + "99999;B Nieuw;techniek;J;J\n").encode("utf-8"))
    ingest_reference(con, raw_dir, "croho_classification", "run-2")
    assert croho_rows(con) == [("99999", "B Nieuw", "techniek", "J", "J", 2)]


def test_rejected_file_without_a_previous_version_raises(con, raw_dir):
    put(raw_dir, CROHO, (CROHO_HEADER + "56860;B Scheikunde;natuur;X;N\n").encode("utf-8"))
    with pytest.raises(RejectedFile) as exc:
        ingest_reference(con, raw_dir, "croho_classification", "run-1")
    assert exc.value.line == 2 and exc.value.column == "betatechniek"
    assert con.execute("select count(*) from landing.rejections").fetchall() == [(1,)]


def test_missing_reference_file_raises(con, raw_dir):
    with pytest.raises(RejectedFile) as exc:
        ingest_reference(con, raw_dir, "institutions", "run-1")
    assert "missing" in exc.value.reason


@pytest.mark.parametrize("data, line, needle", [
    (b"code;naam;onderdeel;betatechniek;informatica\n1;a;b;J;N\n", 1, "header must be"),
    ((CROHO_HEADER + "34035;a;techniek;J\n").encode(), 2, "expected 5 fields"),
    ((CROHO_HEADER + "34035;a;techniek;J;N\n34035;b;natuur;J;N\n").encode(), None, "unique"),
    ((CROHO_HEADER + "3403A;a;techniek;J;N\n").encode(), 2, "numeric"),
])
def test_croho_problems_reject_the_whole_file(data, line, needle):
    with pytest.raises(RejectedFile) as exc:
        read_reference(REFERENCES["croho_classification"], data)
    assert needle in exc.value.reason
    if line is not None:
        assert exc.value.line == line


def test_institution_with_bad_soort_is_rejected():
    data = INSTITUTIONS.replace(b";hbo;00IC;", b";hogeschool;00IC;")
    with pytest.raises(RejectedFile) as exc:
        read_reference(REFERENCES["institutions"], data)
    assert (exc.value.line, exc.value.column) == (3, "soort")


def test_connection_is_still_usable_after_a_rejection_keeps_the_previous_table(con, raw_dir):
    path = put(raw_dir, CROHO, CROHO_OK)
    ingest_reference(con, raw_dir, "croho_classification", "run-1")
    path.write_bytes(CROHO_OK.replace(b";natuur;J;N", b";natuur;X;N"))
    ingest_reference(con, raw_dir, "croho_classification", "run-2")
    assert con.sql("select count(*) from landing.croho_classification").fetchall() == [(3,)]


# --- issue 17: mergers are checked as a whole ------------------------------------------------------
INSTITUTIONS_HEADER = "instellingscode;naam;soort;opgegaan_in;per_jaar\n"
# Avans (00IC) and Fontys (30GB) as in the sample; a cycle A -> B -> C -> A makes every code "survive" as another
CYCLE = (INSTITUTIONS_HEADER + "00IC;Avans Hogeschool;hbo;01MN;2004\n30GB;Fontys Hogescholen;hbo;00IC;2005\n"
         "21PM;Radboud Universiteit;wo;;\n01MN;Noordelijke Hogeschool;hbo;30GB;2006\n").encode("utf-8")


def institution_rows(con):
    return con.execute("select instellingscode, opgegaan_in from landing.institutions order by 1").fetchall()


def test_merger_cycle_rejects_the_file_naming_the_cycle_and_its_lines():
    with pytest.raises(RejectedFile) as caught:
        read_reference(REFERENCES["institutions"], CYCLE)
    rejected = caught.value
    assert rejected.line == 2 and rejected.column == "opgegaan_in"
    assert "merger cycle 00IC -> 01MN -> 30GB -> 00IC (opgegaan_in, lines 2, 5, 3)" in rejected.reason
    assert "previously loaded reference stays" in rejected.reason


@pytest.mark.parametrize("row", ["00IC;Avans Hogeschool;hbo;00IC;2004", "00IC;Avans Hogeschool;hbo;01MN;2004\n"
                                 "01MN;Noordelijke Hogeschool;hbo;00IC;2006"])
def test_a_merger_into_itself_or_a_two_way_merger_is_a_cycle(row):
    with pytest.raises(RejectedFile, match="merger cycle"):
        read_reference(REFERENCES["institutions"], (INSTITUTIONS_HEADER + row + "\n").encode("utf-8"))


def test_a_chain_leading_into_a_cycle_names_the_cycle():
    data = (INSTITUTIONS_HEADER + "21PM;R;wo;00IC;2003\n00IC;A;hbo;01MN;2004\n01MN;N;hbo;00IC;2005\n").encode("utf-8")
    with pytest.raises(RejectedFile) as caught:
        read_reference(REFERENCES["institutions"], data)
    assert caught.value.line == 3 and "merger cycle 00IC -> 01MN -> 00IC" in caught.value.reason


def test_a_merger_into_a_code_not_in_the_file_rejects_it():
    data = (INSTITUTIONS_HEADER + "00IC;Avans Hogeschool;hbo;;\n01MN;Noordelijke Hogeschool;hbo;99ZZ;2004\n").encode()
    with pytest.raises(RejectedFile) as caught:
        read_reference(REFERENCES["institutions"], data)
    assert (caught.value.line, caught.value.column) == (3, "opgegaan_in")
    assert "01MN merges into 99ZZ (opgegaan_in), which is not an institution code in this file" in caught.value.reason


def test_a_merger_chain_is_fine():
    data = (INSTITUTIONS_HEADER + "00IC;A;hbo;;\n01MN;N;hbo;00IC;2004\n30GB;F;hbo;01MN;2002\n").encode("utf-8")
    assert len(read_reference(REFERENCES["institutions"], data)) == 3


def test_merger_cycle_keeps_the_previously_loaded_reference_and_records_the_rejection(con, raw_dir):
    path = put(raw_dir, "reference/institutions.csv", INSTITUTIONS)
    ingest_reference(con, raw_dir, "institutions", "run-1")
    before = institution_rows(con)
    path.write_bytes(CYCLE)
    result = ingest_reference(con, raw_dir, "institutions", "run-2")
    assert result["kept_previous"] is True and "merger cycle 00IC -> 01MN -> 30GB -> 00IC" in result["rejected"]
    assert result["rejected"].startswith("reference/institutions.csv, line 2, column 'opgegaan_in'")
    assert institution_rows(con) == before
    assert con.execute("select run_id, dataset, delivery_file, line, column_header from landing.rejections").fetchall() \
        == [("run-2", "institutions", "reference/institutions.csv", 2, "opgegaan_in")]


@pytest.mark.parametrize("path", ["raw/reference/institutions.csv", "tests/data/real_reference/institutions.csv"])
def test_the_shipped_institutions_files_have_no_merger_problem(path):
    from pipelines.paths import REPO_ROOT

    assert len(read_reference(REFERENCES["institutions"], (REPO_ROOT / path).read_bytes())) > 0
