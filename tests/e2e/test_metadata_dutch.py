"""Every text a reader sees in metadata.json and the data packages is Dutch (issue 19, part 1), after a
cold run of the shipped sample (`sample_run`, read only).

The texts are every string value of the files, except the values of machine-readable keys (codes,
paths, hashes, versions, the contract's keys): those stay as the contract has them. No English phrase
from the list below may appear, nor markdown backticks or references to internal documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipelines.publishing import reader

# Values under these keys are codes, names of files or runs, hashes and dates: not prose.
MACHINE_KEYS = {
    "name", "type", "role", "grain", "filters", "indicators", "mart", "version", "as_of", "created", "files",
    "run", "run_id", "lineage", "code_version", "inputs", "withdrawn_deliveries", "quality_gate", "path", "email",
    "hash", "format", "mediatype", "encoding", "dialect", "primaryKey", "missingValues", "dataset",
    "programme_type", "sector", "measure", "keywords",
}
ENGLISH = [
    "not applicable", "confidential", "suppressed", "suppression rule", "disclosure control", "published mart",
    "contract", "masked", "point estimate", "rounded", "baseline", "persons", "percent", "institutions",
    "provisional", "growth", "share of", "programme", "not counted", "left out", "cannot", "candidates",
    "first-year", "initial degree", "text cells", "spreadsheet", "delivery", "deliveries", "the", "and",
    "are", "with", "without", "for", "per", "counts", "see", "empty", "year", "rank", "yes", "no",
    "growth monitor",
]
_ENGLISH = re.compile(r"\b(" + "|".join(re.escape(p) for p in ENGLISH) + r")\b", re.IGNORECASE)
# Dutch words that the English list would catch
DUTCH_OK = {"per"}
INTERNAL = re.compile(r"`|\.md\b|contract:|--[a-z]")
# Names from the data quoted in a text (a programme's name from the DUO file: "B International Business
# and Languages") are not the publication's words.
QUOTED_NAME = re.compile(r"^(Opleiding \S+ \()[^,]*(,)")


def reader_texts(value, key: str = "") -> list[tuple[str, str]]:
    """(where, text) of every string a reader sees (see MACHINE_KEYS)."""
    if key in MACHINE_KEYS:
        return []
    if isinstance(value, str):
        return [(key, value)]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in reader_texts(v, k)]
    if isinstance(value, list):
        return [t for v in value for t in reader_texts(v, key)]
    return []


def english_in(document: dict) -> list[str]:
    found = []
    for where, text in reader_texts(document):
        text = QUOTED_NAME.sub(r"\1…\2", text)
        words = {m.group(1).lower() for m in _ENGLISH.finditer(text)} - DUTCH_OK
        if words or INTERNAL.search(text):
            found.append(f"{where}: {sorted(words)} {text[:120]!r}")
    return found


def test_the_checker_finds_english():
    assert english_in({"footnotes": ["Counts are rounded once."], "symbols": {"c": "confidential"},
                       "columns": [{"name": "value", "unit": "persons", "description": "zie `value`"}]}) == [
        "footnotes: ['are', 'counts', 'rounded'] 'Counts are rounded once.'",
        "c: ['confidential'] 'confidential'",
        "unit: ['persons'] 'persons'",
        "description: [] 'zie `value`'"]
    assert english_in({"footnotes": ["Het jaar is het beginjaar; per sector, instroom of uitstroom.",
                                     "Opleiding 1 (B Business and Languages, onderdeel economie) telt niet."],
                       "path": "the file"}) == []


@pytest.fixture(scope="module")
def published(sample_run: Path) -> Path:
    return sample_run / "published"


def test_metadata_json_of_every_mart_is_dutch(published):
    current = reader.current_versions(published)
    assert len(current) >= 7
    problems = []
    for mart, _, metadata in current:
        problems += [f"{mart}/metadata.json {p}" for p in english_in(metadata)]
        # the contract's keys are all still there
        assert {"columns", "grain", "filters", "indicators", "footnotes", "inputs", "code_version", "run", "as_of",
                "quality_gate", "symbols", "description", "title"} <= set(metadata), mart
        for column in metadata["columns"]:
            assert {"name", "type", "unit", "description", "label", "description_nl"} <= set(column), (mart, column)
            assert column["description"] == column["description_nl"], (mart, column["name"])
        assert metadata["title"] == metadata["title_nl"] and metadata["description"] == metadata["description_nl"]
        assert metadata["footnotes"] and "OWASP" in metadata["csv_escaping"]
    assert not problems, "\n".join(problems)


def test_footnotes_of_the_data_are_dutch(published):
    metadata = reader.read_metadata(published, "sector_growth", reader.current_version(published, "sector_growth"))
    notes = metadata["footnotes"]
    # the sample has two HO programme codes that the CROHO classification does not know
    assert "Opleiding 34345 (B Mechatronica, onderdeel techniek) staat niet in de CROHO-indeling; zij telt als " \
        "bèta/techniek op grond van haar onderdeel (natuur of techniek telt wel, andere onderdelen niet)." in notes
    assert notes[0].startswith("Geteld wordt alleen bèta/techniek") and not [n for n in notes if "Programme" in n]
    for row in metadata["cells_not_counted_by_type"]:
        assert row["reason"].startswith(f"{row['programme_type']}: "), row
    institution = reader.read_metadata(published, "institution_growth",
                                       reader.current_version(published, "institution_growth"))
    assert any("minder dan 10 personen" in n for n in institution["footnotes"])
    assert institution["symbols"]["c"].startswith("geheim: ")


def test_data_packages_are_dutch(published):
    problems = english_in(json.loads((published / "datapackage.json").read_text(encoding="utf-8")))
    for mart, version, _ in reader.current_versions(published):
        package = json.loads((reader.version_dir(published, mart, version) / "datapackage.json").read_text("utf-8"))
        problems += [f"{mart}/datapackage.json {p}" for p in english_in(package)]
    assert not problems, "\n".join(problems)
