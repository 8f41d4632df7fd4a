"""pipelines/publishing/diff.py: which figures differ between two versions, and why."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from pipelines.publishing.diff import (DiffError, change_reason, diff_rows, diff_versions, figure_rows,
                                       largest_revision, render_csv, render_text, summary_sentence)
from pipelines.publishing.reader import previous_version

GRAIN = ["sector", "measure", "year"]
HEADER = ["sector", "measure", "year", "value", "baseline_year", "baseline_value", "index", "growth_pct",
          "is_provisional", "source_delivery"]


def row(sector="wo", measure="instroom", year=2003, value="1560.0", growth="30.0", provisional="false",
        source="2004-03-15", baseline="1200.0"):
    index = f"{100 + float(growth):.1f}"
    return dict(zip(HEADER, [sector, measure, str(year), value, "2000", baseline, index, growth, provisional, source]))


def delivery(path, date, used, superseded=()):
    return {"kind": "delivery", "dataset": "ho_eerstejaars", "path": path, "date": date, "sha256": "ab" * 32,
            "years_used": list(used), "years_superseded": list(superseded)}


def meta(inputs=(), commit="c1", reference_sha="r1"):
    return {"grain": GRAIN, "indicators": HEADER[3:], "code_version": {"git_commit": commit},
            "inputs": [*inputs, {"kind": "reference", "path": "reference/croho_classification.csv",
                                 "sha256": reference_sha}]}


OLD_INPUTS = [delivery("duo/ho_eerstejaars/2003-03-15_a.csv", "2003-03-15", [2000], [2001, 2002]),
              delivery("duo/ho_eerstejaars/2004-03-15_b.csv", "2004-03-15", [2001, 2002, 2003])]
NEW_INPUTS = [delivery("duo/ho_eerstejaars/2003-03-15_a.csv", "2003-03-15", [2000], [2001, 2002]),
              delivery("duo/ho_eerstejaars/2004-03-15_b.csv", "2004-03-15", [2001, 2002], [2003]),
              delivery("duo/ho_eerstejaars/2005-03-15_c.csv", "2005-03-15", [2003, 2004])]


def test_provisional_year_made_final_new_year_and_unchanged_rows():
    old = [row(year=2002, growth="20.0"), row(year=2003, provisional="true")]
    new = [row(year=2002, growth="20.0"),
           row(year=2003, value="1570.0", growth="30.8", source="2005-03-15"),
           row(year=2004, value="1680.0", growth="40.0", provisional="true", source="2005-03-15")]
    d = diff_rows("sector_growth", "v1", meta(OLD_INPUTS), old, "v2", meta(NEW_INPUTS), new)
    assert d.counts() == {"changed": 1, "added": 1, "removed": 0}
    changed, added = d.changes
    assert changed.keys == {"sector": "wo", "measure": "instroom", "year": "2003"}
    assert changed.reason == "provisional year made final (delivery of 2005-03-15)"
    assert ("value", "1560.0", "1570.0") in changed.values and ("is_provisional", "true", "false") in changed.values
    assert ("growth_pct", "30.0", "30.8") in changed.values
    assert all(col != "year" for col, _, _ in changed.values)  # grain columns are the figure, not a change
    assert added.kind == "added" and added.reason == "new year" and added.values == [("growth_pct", "", "40.0")]


def test_restated_year_found_from_the_winning_delivery_when_the_row_has_no_source_column():
    old = [{k: v for k, v in row(year=2002).items() if k not in ("source_delivery", "is_provisional")}]
    new = [{k: v for k, v in row(year=2002, value="1561.0").items() if k not in ("source_delivery", "is_provisional")}]
    old_inputs = [delivery("duo/ho_eerstejaars/2004-03-15_a.csv", "2004-03-15", [2000, 2001, 2002, 2003])]
    new_inputs = [delivery("duo/ho_eerstejaars/2004-03-15_a.csv", "2004-03-15", [2000], [2001, 2002, 2003]),
                  delivery("duo/ho_eerstejaars/2005-03-15_c.csv", "2005-03-15", [2001, 2002, 2003, 2004])]
    reason = change_reason(meta(old_inputs), meta(new_inputs), old[0], new[0])
    assert reason.startswith("restated by a newer delivery (duo/ho_eerstejaars/2005-03-15_c.csv, 2005-03-15")
    # The same delivery swap for a year that was the old delivery's newest: made final.
    reason = change_reason(meta([delivery("x/old.csv", "2004-03-15", [2000, 2001, 2002])]),
                           meta([delivery("x/new.csv", "2005-03-15", [2000, 2001, 2002, 2003])]), old[0], new[0])
    assert reason.startswith("provisional year made final (x/new.csv")


def test_baseline_reference_and_code_reasons():
    old, new = row(year=2003), row(year=2003, value="1570.0")
    base_old = [delivery("x/a.csv", "2003-03-15", [2000, 2003])]
    base_new = [delivery("x/a.csv", "2003-03-15", [2003], [2000]), delivery("x/b.csv", "2006-03-15", [2000])]
    assert change_reason(meta(base_old), meta(base_new), old, new).startswith("baseline year 2000 restated (x/b.csv")
    assert change_reason(meta(OLD_INPUTS), meta(OLD_INPUTS, reference_sha="r2"), old, new) == \
        "counting rule: reference or program file changed (reference/croho_classification.csv)"
    assert change_reason(meta(OLD_INPUTS, commit="aaa"), meta(OLD_INPUTS, commit="bbb"), old, new) == \
        "code changed (aaa -> bbb)"
    assert change_reason(meta(OLD_INPUTS), meta(OLD_INPUTS), old, new) == "reason unknown"


def test_removed_figures_equal_decimals_and_a_first_version():
    old = [row(year=2003), row(sector="hbo", year=2003)]
    new = [dict(row(year=2003), value="1560")]  # 1560 == 1560.0: not a change
    d = diff_rows("sector_growth", "v1", meta(), old, "v2", meta(), new)
    assert [(c.kind, c.keys["sector"], c.reason) for c in d.changes] == [("removed", "hbo", "figure removed")]
    first = diff_rows("sector_growth", None, None, [], "v1", meta(), new)
    assert first.changes == [] and "eerste gepubliceerde versie" in render_text(first)


def test_text_and_csv_outputs_are_one_row_per_figure():
    old = [row(year=2003, provisional="true")]
    new = [row(year=2003, value="1570.0", growth="30.8", source="2005-03-15")]
    d = diff_rows("sector_growth", "v1", meta(OLD_INPUTS), old, "v2", meta(NEW_INPUTS), new)
    text = render_text(d).splitlines()
    assert text[0] == "sector_growth: v1 -> v2"
    assert text[1] == "1 cijfer herzien, 0 nieuw, 0 vervallen; grootste herziening: wo, instroom, 2003 " \
                      "(growth_pct) van 30,0 naar 30,8."
    assert len(text) == 3  # one line per figure
    assert text[2].startswith("  herzien   wo, instroom, 2003: growth_pct 30,0 → 30,8  "
                              "[voorlopig jaar definitief geworden (levering van 2005-03-15)]; ook ")
    assert "value 1.560,0 → 1.570,0" in text[2]
    assert "is_provisional ja → nee" in text[2]
    rows = list(csv.DictReader(io.StringIO(render_csv(d))))
    assert list(rows[0]) == [*GRAIN, "change", "column", "old_value", "new_value", "reason", "other_changes",
                             "old_version", "new_version"]
    assert len(rows) == 1
    assert (rows[0]["change"], rows[0]["column"], rows[0]["old_value"], rows[0]["new_value"]) == \
        ("changed", "growth_pct", "30.0", "30.8")
    assert rows[0]["reason"] == "voorlopig jaar definitief geworden (levering van 2005-03-15)"
    assert rows[0]["other_changes"].split("; ") == ["value: 1560.0 -> 1570.0", "index: 130.0 -> 130.8",
                                                    "is_provisional: true -> false",
                                                    "source_delivery: 2004-03-15 -> 2005-03-15"]


def test_figure_rows_fold_the_other_columns_and_keep_an_unchanged_headline():
    old = [row(year=2002, growth="20.0"), row(year=2003, growth="30.0"), row(sector="hbo", year=2003)]
    new = [row(year=2002, growth="20.0", value="1561.0"), row(year=2003, growth="31.5"),
           row(year=2004, growth="40.0", provisional="true")]
    d = diff_rows("sector_growth", "v1", meta(), old, "v2", meta(), new)
    rows = figure_rows(d)
    assert [(r.kind, r.figure, r.column, r.old, r.new) for r in rows] == [
        ("changed", "wo, instroom, 2002", "growth_pct", "20.0", "20.0"),  # headline shown although unchanged
        ("changed", "wo, instroom, 2003", "growth_pct", "30.0", "31.5"),
        ("added", "wo, instroom, 2004", "growth_pct", "", "40.0"),
        ("removed", "hbo, instroom, 2003", "growth_pct", "30.0", "")]
    assert rows[0].others == [("value", "1560.0", "1561.0")]
    assert rows[1].others == [("index", "130.0", "131.5")]
    assert [r.kind_nl for r in rows] == ["herzien", "herzien", "nieuw", "vervallen"]
    assert rows[2].reason == "nieuw jaar" and rows[3].reason == "cijfer vervallen"
    assert all(r.reason == "reden onbekend" for r in rows[:2])
    assert largest_revision(rows) is rows[1]


def test_summary_sentence_counts_and_names_the_largest_revision_with_dutch_labels():
    old = [row(year=2002, growth="20.0"), row(year=2003, growth="30.0"), row(sector="hbo", year=2003)]
    new = [row(year=2002, growth="18.0"), row(year=2003, growth="31.5"), row(year=2004, growth="1234.5")]
    labelled = {**meta(), "columns": [{"name": "growth_pct", "label": "Groei (%)"}]}
    d = diff_rows("sector_growth", "v1", meta(), old, "v2", labelled, new)
    assert summary_sentence(d) == ("2 cijfers herzien, 1 nieuw, 1 vervallen; grootste herziening: wo, instroom, "
                                   "2002 (Groei (%)) van 20,0 naar 18,0.")
    same = diff_rows("sector_growth", "v1", meta(), old[:1], "v2", meta(), old[:1])
    assert summary_sentence(same) == "Geen enkel cijfer is herzien, nieuw of vervallen."
    only_new = diff_rows("sector_growth", "v1", meta(), [], "v2", meta(), new[:1])
    assert summary_sentence(only_new) == "0 cijfers herzien, 1 nieuw, 0 vervallen."
    assert "eerste gepubliceerde versie" in summary_sentence(diff_rows("sector_growth", None, None, [], "v1",
                                                                       meta(), new))
    program = diff_rows("program_growth", "v1", {**meta(), "grain": ["program", "participation"]},
                        [{"program": "ANY", "participation": "non_participants", "growth_pct": "1.0"}], "v2",
                        {**meta(), "grain": ["program", "participation"], "indicators": ["growth_pct"]},
                        [{"program": "ANY", "participation": "non_participants", "growth_pct": "2.0"}])
    assert figure_rows(program)[0].figure == "elk programma, niet-deelnemers"  # codes never reach a reader


def write_version(publish: Path, mart: str, version: str, rows: list[dict], metadata: dict) -> None:
    folder = publish / mart / version
    folder.mkdir(parents=True)
    with (folder / "data.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (folder / "metadata.json").write_text(json.dumps(metadata), encoding="utf-8")


def test_versions_from_the_catalog_history(tmp_path):
    publish = tmp_path / "published"
    write_version(publish, "sector_growth", "2004-03-15_aaa", [row(year=2003, provisional="true")], meta(OLD_INPUTS))
    write_version(publish, "sector_growth", "2005-03-15_bbb", [row(year=2003, value="1570.0", source="2005-03-15")],
                  meta(NEW_INPUTS))
    (publish / "catalog.json").write_text(json.dumps({"marts": {"sector_growth": {
        "version": "2005-03-15_bbb", "history": ["2004-03-15_aaa", "2005-03-15_bbb"]}}}), encoding="utf-8")
    d = diff_versions(publish, "sector_growth")
    assert (d.old_version, d.new_version) == ("2004-03-15_aaa", "2005-03-15_bbb") and len(d.changes) == 1
    assert diff_versions(publish, "sector_growth", new_version="2004-03-15_aaa").old_version is None
    assert previous_version(["a", "b", "c"], "c") == "b" and previous_version(["a"], "a") is None
    with pytest.raises(DiffError, match="not in"):
        diff_versions(publish, "gender_shares")
    with pytest.raises(DiffError, match="version 1999"):
        diff_versions(publish, "sector_growth", old_version="1999-01-01_000")


def test_hbo_and_wo_files_are_separate_series_for_the_reason():
    """Contract 11.1: a new wo file restates wo (and ho) figures, never hbo's, even though the hbo file
    of the same dataset also holds the year."""
    def by_sector(path, date, sectors):
        d = delivery(path, date, sorted({y for used, _ in sectors.values() for y in used}))
        d["by_sector"] = {s: {"years_used": list(u), "years_superseded": list(x)} for s, (u, x) in sectors.items()}
        return d
    hbo = by_sector("duo/ho_eerstejaars/2020-03-01_03b-hbo-2019.csv", "2020-03-01", {"hbo": ([2019], [])})
    wo_old = by_sector("duo/ho_eerstejaars/2020-03-01_03b-wo-2019.csv", "2020-03-01", {"wo": ([2019], [])})
    wo_old_superseded = by_sector("duo/ho_eerstejaars/2020-03-01_03b-wo-2019.csv", "2020-03-01", {"wo": ([], [2019])})
    wo_new = by_sector("duo/ho_eerstejaars/2021-03-01_03b-wo-2020.csv", "2021-03-01", {"wo": ([2019], [])})
    old, new = meta([hbo, wo_old]), meta([hbo, wo_old_superseded, wo_new])
    wo_row = {**row(sector="wo", year=2019), "source_delivery": ""}
    assert change_reason(old, new, wo_row, {**wo_row, "value": "1"}).startswith(
        "restated by a newer delivery (duo/ho_eerstejaars/2021-03-01_03b-wo-2020.csv")
    hbo_row = {**row(sector="hbo", year=2019), "source_delivery": ""}
    assert not change_reason(old, new, hbo_row, {**hbo_row, "value": "1"}).startswith("restated")
