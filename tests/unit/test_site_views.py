"""The site's view functions and templates (issue 19): Dutch labels from the metadata, codes as Dutch
words, the per-figure "what changed", the banner of a superseded version, the index's list of changed
marts. Fast: plain dicts in, rendered templates out, no job run (tests/e2e/test_site.py has the real
publication)."""

from __future__ import annotations

import jinja2
import pytest

from pipelines.publishing import diff as mart_diff
from pipelines.publishing import site, texts_nl

GRAIN = ["sector", "measure", "year"]
COLUMNS = [{"name": "sector", "type": "VARCHAR", "unit": "code", "label": "Sector", "description_nl": "Onderwijssector."},
           {"name": "measure", "type": "VARCHAR", "unit": "code", "label": "Stroom", "description_nl": "Stroom."},
           {"name": "year", "type": "INTEGER", "unit": "year", "label": "Jaar", "description_nl": "Beginjaar."},
           {"name": "value", "type": "DECIMAL(18,1)", "unit": "persons", "label": "Aantal (puntschatting)",
            "description_nl": "Aantal."},
           {"name": "n_masked_cells", "type": "INTEGER", "unit": "cells", "label": "Afgeschermde cellen",
            "description_nl": "Aantal afgeschermde cellen; zie ook non_participants en ANY."},
           {"name": "growth_pct", "type": "DECIMAL(18,1)", "unit": "percent", "label": "Groei (%)",
            "description_nl": "Groei."},
           {"name": "is_provisional", "type": "BOOLEAN", "unit": "boolean", "label": "Voorlopig",
            "description_nl": "Voorlopig cijfer."}]
META = {"grain": GRAIN, "indicators": ["value", "n_masked_cells", "growth_pct", "is_provisional"],
        "columns": COLUMNS, "title_nl": "Groei per sector", "description_nl": "Groei ten opzichte van 2000.",
        "footnotes": ["Disclosure control: a figure resting on fewer than 10 persons is suppressed."],
        "inputs": [], "quality_gate": {"success": True, "evaluated_expectations": 12, "failed_expectations": []},
        "code_version": {"git_commit": "abc"}, "as_of": "2005-03-15"}
ENGLISH = ["confidential", "not applicable", "Published mart", "What changed", "suppressed", "provisional",
           "non_participants", "ANY:", "figure removed", "new year", "reason unknown"]


def row(sector="wo", measure="instroom", year="2003", value="1560.0", masked="0", growth="30.0", provisional="false"):
    return {"sector": sector, "measure": measure, "year": year, "value": value, "n_masked_cells": masked,
            "growth_pct": growth, "is_provisional": provisional}


def test_environment_autoescapes_and_fails_on_missing_values():
    assert site.ENV.autoescape is True and site.ENV.undefined is jinja2.StrictUndefined
    html = site.ENV.from_string("<p>{{ x }}</p>").render(x="<script>")
    assert html == "<p>&lt;script&gt;</p>"
    with pytest.raises(jinja2.UndefinedError):
        site.ENV.from_string("{{ missing }}").render()
    spec = site.ENV.from_string("<script>{{ s|script_json }}</script>").render(s={"naam": "</script><!--"})
    assert spec == '<script>{"naam": "\\u003c/script\\u003e\\u003c!--"}</script>'


def test_figures_table_has_the_dutch_labels_and_keeps_the_column_names_as_data():
    view = site.figures_table_view([row(provisional="true"), row(sector="ho", measure="instroom_excl_informatica")],
                                   META, "Alle cijfers")
    # The headline column (it links to the lineage) comes right after the grain, in view without scrolling.
    assert [c["label"] for c in view["columns"]] == ["Sector", "Stroom", "Jaar", "Groei (%)",
                                                     "Aantal (puntschatting)", "Afgeschermde cellen", "Voorlopig"]
    assert [c["name"] for c in view["columns"]][5] == "n_masked_cells"
    html = site.ENV.get_template("macros.html").module.figures_table(view)
    assert '<th scope="col" data-column="n_masked_cells">Afgeschermde cellen</th>' in html
    assert ">n_masked_cells<" not in html
    assert "<th scope=\"row\">ho (hbo en wo)</th><td>instroom zonder informatica</td>" in html  # codes as words
    assert 'title="herkomst van dit cijfer">30,0</a><abbr class="sym" title="voorlopig cijfer">*</abbr>' in html


def test_symbols_footnotes_and_reasons_are_dutch():
    for mart in texts_nl.SYMBOLS:
        text = " ".join(s["meaning"] for s in site.symbols_view(mart))
        assert not [p for p in ENGLISH if p in text], mart
    assert [s["sym"] for s in site.symbols_view("institution_growth")] == ["*", "c", "–"]
    notes = texts_nl.footnotes("institution_growth", META["footnotes"] + [
        "vmbo uitstroom_tl 2019: 3 VMBO T candidates without a sector are left out."], "10")
    assert any("minder dan 10 personen" in n for n in notes)
    assert notes[-1] == "Vmbo-uitstroom theoretische leerweg 2019: 3 examenkandidaten zonder sector zijn niet meegeteld."
    assert texts_nl.suppression_reason("primary: rests on fewer than 10 persons") == \
        "het cijfer berust op minder dan 10 personen"
    assert texts_nl.reason("restated by a newer delivery (a.csv, 2005-03-15 replaces b.csv)") == \
        "herzien door een nieuwere levering (a.csv, 2005-03-15 vervangt b.csv)"
    assert [texts_nl.code_label(c) for c in ("non_participants", "ANY", "UNIVERSUM participants", "Hogeschool X")] == \
        ["niet-deelnemers", "elk programma", "deelnemers aan UNIVERSUM", "Hogeschool X"]
    assert texts_nl.unit("index (baseline year = 100)") == "indexcijfer (basisjaar = 100)"


def test_version_page_metadata_shows_labels_and_marks_codes_in_descriptions_as_code():
    meta = site.meta_view("sector_growth", META)
    assert meta["columns"][4]["label"] == "Afgeschermde cellen" and meta["columns"][4]["unit"] == "cellen"
    assert meta["grain"] == "sector, stroom, jaar"
    html = site.ENV.get_template("macros.html").module.prose(meta["columns"][4]["description"])
    assert str(html) == "Aantal afgeschermde cellen; zie ook <code>non_participants</code> en <code>ANY</code>."


def test_changes_view_one_row_per_figure_with_the_summary():
    old = [row(year="2002", growth="20.0"), row(year="2003", provisional="true")]
    new = [row(year="2002", growth="20.0"), row(year="2003", value="1570.0", growth="30.8"),
           row(year="2004", growth="40.0", provisional="true")]
    d = mart_diff.diff_rows("sector_growth", "v1", META, old, "v2", META, new)
    view = site.changes_view(d, site.column_kinds(META))
    assert view["summary"] == ("1 cijfer herzien, 1 nieuw, 0 vervallen; grootste herziening: wo, instroom, 2003 "
                               "(Groei (%)) van 30,0 naar 30,8.")
    assert view["headline"] == "Groei (%)" and view["total"] == 2
    first, added = view["rows"]
    assert (first["figure"], first["kind"], first["old"], first["new"]) == ("wo, instroom, 2003", "herzien", "30,0", "30,8")
    assert first["others"] == [{"label": "Aantal (puntschatting)", "old": "1.560,0", "new": "1.570,0"},
                               {"label": "Voorlopig", "old": "ja", "new": "nee"}]
    assert (added["kind"], added["old"], added["reason"]) == ("nieuw", "–", "nieuw jaar")
    assert site.changes_view(mart_diff.diff_rows("sector_growth", None, None, [], "v1", META, new), {}) == {"first": True}


def test_latest_publication_is_the_run_with_the_newest_versions():
    catalog = {"marts": {
        "sector_growth": {"version": "2005-03-15_bbb", "current_since": {"run_id": "r2"}},
        "program_growth": {"version": "2005-03-15_ccc", "current_since": {"run_id": "r2"}},
        "audit_outcomes": {"version": "2004-03-15_aaa", "current_since": {"run_id": "r1"}}}}
    assert site.latest_publication(catalog) == ["program_growth", "sector_growth"]
    assert site.latest_publication({"marts": {}}) == []


def test_a_superseded_version_gets_a_banner_linking_to_the_current_one(tmp_path):
    page = site.render("figures_part.html", title="t", description="", root="../../", refresh=None, bundle=None,
                       banner=None, heading="Groei", back="Groei", symbols=site.symbols_view("sector_growth"),
                       ft=site.filterable_view([row()], META, "Alle cijfers", {"column": "sector", "value": "wo"},
                                               "../../", "data.csv"))
    assert "<!--melding--><!--/melding-->" in page and "vervangen" not in page
    folder = tmp_path / "v1"
    folder.mkdir()
    (folder / "index.html").write_text(page, encoding="utf-8")
    (folder / "table-x.html").write_text(page, encoding="utf-8")
    (folder / "lineage").mkdir()
    site.mark_superseded(folder, "v2")
    for name in ("index.html", "table-x.html"):
        text = (folder / name).read_text(encoding="utf-8")
        assert '<strong>Deze versie is vervangen.</strong>' in text and 'href="../v2/index.html"' in text
        assert text.replace(text[text.index("<!--melding-->"):text.index("<!--/melding-->")], "<!--melding-->") == page
    site.mark_superseded(folder, "v3")  # a newer current version: the banner follows it
    assert 'href="../v3/index.html"' in (folder / "index.html").read_text(encoding="utf-8")
    site.mark_superseded(folder, None)
    assert (folder / "index.html").read_text(encoding="utf-8") == page


def test_not_found_page_is_dutch():
    text = site.NOT_FOUND_PAGE % {"code": 404, "message": "Pagina niet gevonden"}
    assert "Pagina niet gevonden" in text and "Foutcode 404" in text and 'lang="nl"' in text
    assert not [p for p in ENGLISH if p in text]
