"""`betamonitor trace` on small data: masked cells, a restated year, an older publication after a
newer delivery arrived, and an input that is gone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from pipelines.trace import trace_figure


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
