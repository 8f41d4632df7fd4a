"""Issue 17, part 2: duplicates are quarantined. Two lines of one delivery with the same row key (the
family's declared `duo_row_keys`, also the staging models' row_key) and the same year and gender are
both quarantined, with their lines; an exact copy is named as such. DUO's own files have none."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.deliveries import ingest_dataset, read_delivery

from ._raw import l_file, l_row, put, w_file, w_row

REAL = Path(__file__).resolve().parents[1] / "data" / "duo_real"
SAMPLE_HO = Path(__file__).resolve().parents[2] / "raw" / "duo" / "ho_eerstejaars" / "2008-03-17_eerstejaars_ho.csv"
W_NAME = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"

# Every real DUO file in tests/data/duo_real/, with the dataset it is delivered as.
REAL_FILES = {
    "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv": "ho_eerstejaars",  # complete, layout G
    "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019_excerpt.csv": "ho_eerstejaars",
    "03b-eerstejaars-ingeschrevenen-wo-domein-wo-2019_rows1-400.csv": "ho_eerstejaars",
    "05-gediplomeerden-hbo-2019.csv": "ho_gediplomeerden",  # complete, SOORT DIPLOMA
    "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_rows1-3000.csv": "mbo_eerstejaars",  # M2
    "03-deelnemers-per-instelling-kwalificatie-geslacht-mbo-2015-2019_excerpt.csv": "mbo_eerstejaars",
    "examenkandidaten-en-geslaagden-2019-2024_rows1-1500.csv": "vo_examenkandidaten",  # E, current
    "examenkandidaten-en-geslaagden-2019-2024_excerpt.csv": "vo_examenkandidaten",
    "06-examenkandidaten-en-geslaagden-2014-2019_rows1-400.csv": "vo_examenkandidaten",  # E, older
    "api-eerstejaarsingeschrevenenhbo-2020-2024_rows1-400.csv": "ho_eerstejaars",  # API table, no GESLACHT
    "eerstejaars-wo-2013-2017-legacy-wide_rows1-100-and-footer.csv": "ho_eerstejaars",  # W, OPLEIDINGSFASE
}


def read(dataset: str, data: bytes, name: str = "duo/x/2020-03-01_x.csv"):
    return read_delivery(DATASETS[dataset], data, name)


def reasons_by_line(read_result) -> dict[int, set[str]]:
    q = read_result.quarantined
    return {int(line): set(group["reason"]) for line, group in q.groupby("line_number")}


def test_every_real_file_in_tests_data_is_listed_here():
    assert set(REAL_FILES) == {p.name for p in REAL.glob("*.csv")}


@pytest.mark.parametrize("name", sorted(REAL_FILES))
def test_no_real_duo_file_has_a_duplicate_row(name):
    result = read(REAL_FILES[name], (REAL / name).read_bytes(), f"duo/{REAL_FILES[name]}/2020-03-01_{name}")
    duplicates = result.quarantined[result.quarantined["reason"].str.contains("duplicate", na=False)]
    assert duplicates.empty, duplicates.head().to_dict("records")


def test_the_municipality_tells_the_complete_hbo_file_apart():
    """DUO lists a programme once per municipality: 417 keys repeat without GEMEENTENUMMER, none with it."""
    name = "03b-eerstejaars-ingeschrevenen-hbo-domein-hbo-2019.csv"
    spec = DATASETS["ho_eerstejaars"]
    cells = read("ho_eerstejaars", (REAL / name).read_bytes(), f"duo/ho_eerstejaars/2020-03-01_{name}").cells
    lines = cells.drop_duplicates("line_number")

    def repeated_keys(key: list[str]) -> int:
        sizes = lines.groupby([*key, "gender"], dropna=False).size()
        return int((sizes > 1).sum())

    assert "gemeentenummer" in spec.row_key
    assert repeated_keys([c for c in spec.row_key if c != "gemeentenummer"]) == 417
    assert repeated_keys(spec.row_key) == 0


def test_the_row_key_is_declared_once_and_every_column_is_landed():
    declared = dbt_vars()["duo_row_keys"]
    for spec in DATASETS.values():
        assert spec.row_key == declared[spec.family]
        assert spec.row_key[0] == spec.institution_column  # the revision check keys on the surviving code
        assert set(spec.row_key) <= set(spec.dimension_columns), spec.name
    staging = Path(__file__).resolve().parents[2] / "dbt_project" / "models" / "staging"
    for family in declared:
        sql = (staging / f"stg_{family}_cells.sql").read_text(encoding="utf-8")
        assert f"staged_family_cells('{family}')" in sql and "row_key=" not in sql, family


def test_two_exact_duplicate_lines_are_both_quarantined_and_named():
    text = SAMPLE_HO.read_bytes().decode("cp1252").split("\r\n")
    wo_line = next(i for i, line in enumerate(text) if ";wo;" in line.lower())
    lines = [*text[:wo_line + 1], text[wo_line], *text[wo_line + 1:]]  # line wo_line+1 repeated below itself
    result = read("ho_eerstejaars", "\r\n".join(lines).encode("cp1252"), W_NAME)
    first, copy = wo_line + 1, wo_line + 2
    assert reasons_by_line(result) == {first: {f"exact duplicate of line {copy}"},
                                       copy: {f"exact duplicate of line {first}"}}
    quarantined = result.cells[result.cells["quarantine_reason"].notna()]
    assert set(quarantined["line_number"]) == {first, copy}
    assert len(quarantined) == 2 * 10  # every cell of both lines (2003-2007, man and vrouw)
    assert quarantined["count_value"].isna().all()  # never counted
    assert result.cells["quarantine_reason"].notna().sum() == 20


def test_the_same_programme_and_form_twice_with_other_counts_quarantines_both():
    data = w_file(w_row(["41", "22", "30", "3"]), w_row(["1", "2", "3", "4"], opleidingscode="56861"),
                  w_row(["40", "20", "30", "3"]))
    result = read("ho_eerstejaars", data, W_NAME)
    reasons = reasons_by_line(result)
    assert set(reasons) == {2, 4}
    [second] = reasons[2]
    assert second.startswith("duplicate row: the same row key (instellingscode 21PM, gemeentenummer 0268, "
                             "onderdeel natuur, opleidingscode 56860, opleidingsvorm VT, opleidingsfase bachelor, "
                             "type_hoger_onderwijs wo) as line 4")
    assert reasons[4] == {second.replace("as line 4", "as line 2")}
    assert (result.cells.loc[result.cells["line_number"] == 3, "quarantine_reason"].isna()).all()


def test_rows_that_differ_in_a_key_dimension_are_not_duplicates():
    """Another municipality, phase, form or type is another row (all of them row-key dimensions)."""
    base = ["Gelderland", "0268", "NIJMEGEN", "reguliere inst.", "wo", "21PM", "R", "natuur", "n.v.t.", "56860",
            "B Scheikunde", "voltijd onderwijs", "bachelor"]
    variants = [base, [*base[:1], "0200", *base[2:]], [*base[:12], "propedeuse bachelor"],
                [*base[:11], "deeltijd onderwijs", base[12]], [*base[:4], "hbo", *base[5:]]]
    data = w_file(*(";".join([*dims, "1", "2", "3", "4"]) for dims in variants))
    assert read("ho_eerstejaars", data, W_NAME).quarantined.empty


def test_long_layout_duplicates_are_per_year_and_gender():
    data = l_file(l_row(2007, "MAN", "60"), l_row(2007, "VROUW", "6"), l_row(2008, "MAN", "61"),
                  l_row(2007, "MAN", "60"))
    result = read("ho_eerstejaars", data, "duo/ho_eerstejaars/2009-03-16_eerstejaars_ho.csv")
    assert reasons_by_line(result) == {2: {"exact duplicate of line 5"}, 5: {"exact duplicate of line 2"}}


def test_a_duplicate_on_a_bad_cell_keeps_both_reasons(con, raw_dir):
    put(raw_dir, W_NAME, w_file(w_row(["41", "abc", "30", "3"]), w_row(["41", "abc", "30", "3"])))
    report = ingest_dataset(con, raw_dir, "ho_eerstejaars", "run-1")
    assert report.new_deliveries == [W_NAME]
    assert {(q["line_number"], q["column_header"]) for q in report.quarantined} == {
        (line, f"{y} {g}") for line in (2, 3) for y in (2003, 2004) for g in ("MAN", "VROUW")}
    both = [q["reason"] for q in report.quarantined if q["column_header"] == "2003 VROUW"]
    assert all("count is not a non-negative number" in r and "exact duplicate of line" in r for r in both)
    assert con.execute("select count(*) from landing.ho_eerstejaars where quarantine_reason is null").fetchall() == [(0,)]
    assert con.execute("select n_quarantined from landing.deliveries").fetchall() == [(8,)]
