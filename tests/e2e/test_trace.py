"""`betamonitor trace` on small data: masked cells, a restated year, an older publication after a
newer delivery arrived, and an input that is gone; on the shipped sample: regional_growth figures with
each cell's province source (own column, municipality, institution)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from pipelines.trace import trace_figure
from tests.conftest import read_published


def trace_cli(work: Path, *args: str) -> int:
    return main(["trace", *args, "--raw-dir", str(work / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb")])


def current_version(work: Path, mart: str = "sector_growth") -> str:
    return json.loads((work / "published" / "catalog.json").read_text())["marts"][mart]["version"]


@pytest.fixture
def two_publications(small_run, small_two_publications) -> tuple[Path, str, str]:
    """Version 1 from the small data; then a newer delivery restates 2003 and adds 2004 -> version 2
    (tests/e2e/conftest.py, shared with other files: read only, copy to change)."""
    return small_two_publications, current_version(small_run), current_version(small_two_publications)


def test_additive_figure_with_a_masked_cell_and_a_restated_year(two_publications, capsys):
    work, _, _ = two_publications
    code = trace_cli(work, "sector_growth", "--where", "sector=hbo,measure=instroom,year=2001", "--column", "value")
    out = capsys.readouterr().out
    assert code == 0, out
    assert "value = 157.5" in out and "matches the published value" in out
    # The masked cell of the long file (-1) and how it was read.
    assert "2004-03-15_eerstejaars_ho.csv" in out and "'-1' = masked (real value 1-4): counts 2.5" in out
    # 2001 was also in the older W delivery, superseded by the newer one.
    assert "duo/ho_eerstejaars/2003-03-15_eerstejaars_ho.csv (2003-03-15) for 2001: superseded" in out


def test_json_and_out_dir_for_an_auditor(two_publications, tmp_path, capsys):
    work, _, _ = two_publications
    code = trace_cli(work, "sector_growth", "--where", "sector=ho,measure=instroom,year=2003", "--format", "json",
                     "--out", str(tmp_path / "attach"))
    out = capsys.readouterr().out
    assert code == 0
    payload = json.loads(out[: out.rindex("}") + 1])
    assert payload["matches_published_value"] is True
    assert payload["recomputed"]["growth_pct"] == payload["published_value"]
    cells = (tmp_path / "attach" / "raw_cells.csv").read_text(encoding="utf-8").splitlines()
    assert cells[0].startswith("role,delivery_file,delivery_date,sha256,line_number,column_header,raw_value,how_read")
    assert len(cells) - 1 == len(payload["raw_cells"]) > 0
    assert (tmp_path / "attach" / "trace.txt").read_text(encoding="utf-8").startswith("sector_growth")


def test_older_publication_traces_from_its_own_inputs(two_publications):
    work, first, second = two_publications
    where = {"sector": "wo", "measure": "instroom", "year": "2003"}
    dirs = {"publish_dir": work / "published", "warehouse": work / "state" / "warehouse.duckdb", "raw_dir": work / "raw"}
    old = trace_figure("sector_growth", where, None, version=first, **dirs)
    new = trace_figure("sector_growth", where, None, **dirs)
    assert old.matches and new.matches, old.mismatches + old.problems + new.mismatches + new.problems
    assert old.publication["version"] == first and new.publication["version"] == second
    # Version 1 used the 2004 delivery for 2003 (1560), version 2 the 2005 restatement (1570).
    assert old.recomputed["value"] == "1560.0" and new.recomputed["value"] == "1570.0"
    assert {c["delivery_file"] for c in old.cells if c["role"] == "figure year"} == \
        {"duo/ho_eerstejaars/2004-03-15_eerstejaars_ho.csv"}


def test_a_deleted_input_is_named_and_the_trace_fails(two_publications, tmp_path, capsys):
    shared, first, _ = two_publications
    work = tmp_path / "work"  # the run is shared: delete the input in a copy
    shutil.copytree(shared, work)
    (work / "raw" / "duo" / "ho_eerstejaars" / "2003-03-15_eerstejaars_ho.csv").unlink()
    code = trace_cli(work, "sector_growth", "--where", "sector=hbo,measure=instroom,year=2002", "--version", first)
    out = capsys.readouterr().out
    assert code == 1
    assert "input duo/ho_eerstejaars/2003-03-15_eerstejaars_ho.csv is gone" in out
    assert "DOES NOT MATCH the published value / cannot be proved" in out


def test_unknown_figure_is_a_clear_error(two_publications, capsys):
    work, _, _ = two_publications
    assert trace_cli(work, "sector_growth", "--where", "sector=hbo,measure=instroom,year=1999") == 1
    assert "0 published rows match" in capsys.readouterr().out


def test_the_population_comes_from_int_figure_members(two_publications, tmp_path):
    """The trace counts what int_figure_members lists and does its own arithmetic on the raw files:
    a model that leaves a cell out makes the trace disagree with the published value."""
    import duckdb

    work, _, _ = two_publications
    keys = {"sector": "hbo", "measure": "instroom", "year": "2001"}
    shutil.copyfile(work / "state" / "warehouse.duckdb", tmp_path / "w.duckdb")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        dropped = con.execute("select delivery_file, line_number, column_header from intermediate.int_figure_members "
                              "where mart = 'sector_growth' and sector = 'hbo' and measure = 'instroom' and year = 2001 "
                              "and role = 'figure year' and is_winner and not is_masked "
                              "order by line_number, column_header limit 1").fetchone()
        con.execute("alter view intermediate.int_figure_members rename to int_figure_members_built")
        file, line, column = dropped  # a view cannot take parameters
        con.execute("create view intermediate.int_figure_members as select * from intermediate.int_figure_members_built "
                    f"where not (delivery_file = '{file}' and line_number = {line} and column_header = '{column}')")
    finally:
        con.close()
    kwargs = {"publish_dir": work / "published", "raw_dir": work / "raw"}
    intact = trace_figure("sector_growth", keys, "value", warehouse=work / "state" / "warehouse.duckdb", **kwargs)
    short = trace_figure("sector_growth", keys, "value", warehouse=tmp_path / "w.duckdb", **kwargs)
    assert intact.matches and not short.matches
    assert len(short.cells) == len(intact.cells) - 1
    assert tuple(dropped) not in {(c["delivery_file"], c["line_number"], c["column_header"]) for c in short.cells}
    assert any(m.startswith("value: published 157.5, recomputed") for m in short.mismatches), short.mismatches


# --- regional_growth on the shipped sample (tests/e2e/conftest.py's shared `sample_run`: read only) --------

def sample_trace(work: Path, **keys):
    return trace_figure("regional_growth", {k: str(v) for k, v in keys.items()}, None,
                        publish_dir=work / "published", warehouse=work / "state" / "warehouse.duckdb",
                        raw_dir=work / "raw")


def test_a_province_figure_lists_each_cells_province_source(sample_run, tmp_path, capsys):
    """ho = hbo + wo in Overijssel: HO rows with their own PROVINCIE column and rows found by their
    GEMEENTENUMMER; the text lists each cell's province source, raw_cells.csv every cell's."""
    code = trace_cli(sample_run, "regional_growth", "--where",
                     "provincie=Overijssel,sector=ho,measure=instroom,year=2007", "--out", str(tmp_path / "attach"))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "regional_growth provincie=Overijssel, sector=ho, measure=instroom, year=2007: growth_pct = " in out
    assert "matches the published value" in out
    assert "province Overijssel by own column: PROVINCIE" in out
    assert "province_sources: municipality: 18 cells, own column: 110 cells" in out
    assert "parts: {'hbo': 'published', 'wo': 'published'}" in out  # an aggregate is suppressed with its parts
    with (tmp_path / "attach" / "raw_cells.csv").open(encoding="utf-8", newline="") as fh:
        cells = list(csv.DictReader(fh))
    assert {c["provincie"] for c in cells} == {"Overijssel"}
    assert {c["sector"] for c in cells} == {"hbo", "wo"}
    assert {(c["province_source"], c["province_resolution"]) for c in cells} == {
        ("own column", "PROVINCIE"), ("municipality", "GEMEENTENUMMER 0153 Enschede")}


def test_a_province_found_by_municipality_name_through_a_merger(sample_run):
    """vmbo uitstroom has only GEMEENTENAAM, the municipality of the time: SNEEK (merged into
    Súdwest-Fryslân) counts in Fryslân."""
    result = sample_trace(sample_run, provincie="Fryslân", sector="vmbo", measure="uitstroom", year=2006)
    assert result.matches, result.mismatches + result.problems
    assert result.recomputed["growth_pct"] == result.published_value != ""
    assert {c["province_source"] for c in result.cells} == {"municipality"}
    assert all(c["province_resolution"].startswith("GEMEENTENAAM ") for c in result.cells)
    sneek = "GEMEENTENAAM SNEEK: 0091 Sneek -> 1900 Súdwest-Fryslân"
    assert sneek in {c["province_resolution"] for c in result.cells}
    assert any(r.startswith(f"{sneek} (") for r in result.members["province_resolutions"])
    assert {c["role"] for c in result.cells} == {"figure year", "baseline year"}


def test_a_province_found_by_institution(sample_run):
    """mbo files have no geography: each cell's province is its institution's (reference/institutions.csv),
    and the trace checks that file against the publication's sha256."""
    result = sample_trace(sample_run, provincie="Drenthe", sector="mbo", measure="uitstroom", year=2006)
    assert result.matches, result.mismatches + result.problems
    assert {c["province_source"] for c in result.cells} == {"institution"}
    assert {c["province_resolution"] for c in result.cells} == \
        {f"reference/institutions.csv {c['instellingscode']}" for c in result.cells}
    assert "reference/institutions.csv" in {i["path"] for i in result.inputs if i["status"] == "ok"}


def test_trace_proves_a_province_of_every_sector_and_measure(sample_run):
    """One province per sector and measure (aggregates too), newest year: each matches its published row,
    and its cells are the regional members int_figure_members lists for it."""
    import duckdb

    _, rows = read_published(sample_run / "published", "regional_growth")
    newest = {}
    for r in rows:
        key = (r["sector"], r["measure"])
        if key not in newest or (r["year"], r["provincie"]) > (newest[key]["year"], newest[key]["provincie"]):
            newest[key] = r
    assert len(newest) > 15
    con = duckdb.connect(str(sample_run / "state" / "warehouse.duckdb"), read_only=True)
    failures = []
    try:
        for r in newest.values():
            keys = {k: r[k] for k in ("sector", "measure", "provincie", "year")}
            result = sample_trace(sample_run, **keys)
            listed = con.execute("select count(*) from intermediate.int_figure_members where mart = 'regional_growth' "
                                 "and is_winner and sector = ? and measure = ? and provincie = ? and year = ?",
                                 [r["sector"], r["measure"], r["provincie"], int(r["year"])]).fetchall()[0][0]
            if not result.matches or len(result.cells) != listed or not listed:
                failures.append((keys, len(result.cells), listed, result.mismatches + result.problems))
    finally:
        con.close()
    assert not failures, failures[:5]
