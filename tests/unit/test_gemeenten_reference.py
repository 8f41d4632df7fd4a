"""raw/reference/gemeenten.csv: the municipalities of the 2025 division and the ones merged away since 1995.

The file is real data (sources in raw/reference/SOURCES.md). These checks hold without anything
beside the checkout; the coverage check reads DUO's real files from tests/data/duo_real/ (copies of
shared/examples/real/) and, when shared/ is beside the checkout, every file there too: each
GEMEENTENUMMER must be a row, each GEMEENTENAAM must match a row's name or other name on the spelling
key (lower case, no diacritics, letters and digits only: `BERGEN (NH)` = `Bergen (NH.)`), both must
lead to the same current municipality, and a row's own province must be that municipality's province.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GEMEENTEN = REPO / "raw" / "reference" / "gemeenten.csv"
PROVINCES = REPO / "dbt_project" / "seeds" / "provinces.csv"
HEADER = ["gemeentenummer", "gemeentenaam", "provincie", "opgegaan_in", "andere_namen"]
REAL_DIRS = [REPO / "tests" / "data" / "duo_real", REPO.parent / "shared" / "examples" / "real"]
N_CURRENT = 342  # CBS, gemeentelijke indeling op 1 januari 2025


def spelling_key(text: str) -> str:
    """Lower case, diacritics removed, letters and digits only."""
    text = unicodedata.normalize("NFKD", text.lower())
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)))


def read_gemeenten() -> list[dict[str, str]]:
    text = GEMEENTEN.read_bytes().decode("utf-8")
    assert text.split("\n", 1)[0] == ";".join(HEADER)
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


ROWS = read_gemeenten()
BY_CODE = {r["gemeentenummer"]: r for r in ROWS}


def current_of(code: str) -> str:
    """Follow opgegaan_in to the municipality of the 2025 division."""
    seen = []
    while BY_CODE[code]["opgegaan_in"]:
        assert code not in seen, f"merger cycle {seen + [code]}"
        seen.append(code)
        code = BY_CODE[code]["opgegaan_in"]
    return code


def names_of(row: dict[str, str]) -> list[str]:
    return [row["gemeentenaam"], *filter(None, row["andere_namen"].split("|"))]


def name_index() -> dict[str, set[str]]:
    """spelling key -> the current municipalities it leads to."""
    index: dict[str, set[str]] = {}
    for row in ROWS:
        for name in names_of(row):
            index.setdefault(spelling_key(name), set()).add(current_of(row["gemeentenummer"]))
    return index


def seed_provinces() -> dict[str, str]:
    """spelling key of every province name and other spelling -> the official name."""
    with PROVINCES.open(encoding="utf-8") as fh:
        seed = list(csv.DictReader(fh))
    return {spelling_key(n): p["provincie"] for p in seed
            for n in [p["provincie"], *filter(None, p["andere_namen"].split("|"))]}


def test_codes_are_four_digits_and_unique():
    codes = [r["gemeentenummer"] for r in ROWS]
    assert all(re.fullmatch(r"\d{4}", c) for c in codes)
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_342_current_municipalities_in_the_12_provinces():
    current = [r for r in ROWS if r["provincie"]]
    assert len(current) == N_CURRENT
    official = set(seed_provinces().values())
    assert len(official) == 12
    assert {r["provincie"] for r in current} == official
    # a row is either current (a province) or merged away (a successor), never both
    assert all(bool(r["provincie"]) != bool(r["opgegaan_in"]) for r in ROWS)


def test_every_merger_names_a_row_and_ends_in_a_current_municipality():
    for row in ROWS:
        if row["opgegaan_in"]:
            assert row["opgegaan_in"] in BY_CODE, row
            assert row["opgegaan_in"] != row["gemeentenummer"], row
            assert BY_CODE[current_of(row["gemeentenummer"])]["provincie"], row


def test_no_name_key_is_used_by_two_current_municipalities():
    current_keys: dict[str, str] = {}
    for row in (r for r in ROWS if r["provincie"]):
        for name in names_of(row):
            other = current_keys.setdefault(spelling_key(name), row["gemeentenummer"])
            assert other == row["gemeentenummer"], (name, other, row["gemeentenummer"])
    # stronger: every name, merged-away ones too, leads to one current municipality
    assert {k: v for k, v in name_index().items() if len(v) > 1} == {}


def test_known_spellings_and_mergers():
    index = name_index()
    assert index[spelling_key("Den Haag")] == index[spelling_key("'s-Gravenhage")] == {"0518"}
    assert index[spelling_key("SÚDWEST-FRYSLÂN")] == {"1900"}
    assert index[spelling_key("BERGEN (NH)")] == {"0373"}
    assert current_of("0190") == "1773"  # Wijhe -> Olst -> Olst-Wijhe (a chain)
    assert current_of("0530") == "1992"  # Hellevoetsluis -> Voorne aan Zee (2023)
    assert BY_CODE["1900"]["provincie"] == "Fryslân"


def _read_duo(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    raw = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.split("\n", 1)[0]
    return list(csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ","))


def real_files() -> list[Path]:
    found = {}
    for folder in REAL_DIRS:
        for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
            found.setdefault(path.name, path)
    return list(found.values())


def test_every_municipality_in_duo_real_files_resolves():
    files = real_files()
    if not files:
        pytest.skip("no real DUO files beside this checkout")
    index, provinces = name_index(), seed_provinces()
    problems, checked = [], 0
    for path in files:
        rows = _read_duo(path)
        header = [c.strip().upper().replace("_", " ") for c in rows[0]]
        col = {name: header.index(name) for name in
               ("GEMEENTENUMMER", "GEMEENTENAAM", "PROVINCIE", "PROVINCIENAAM") if name in header}
        if "GEMEENTENUMMER" not in col and "GEMEENTENAAM" not in col:
            continue
        for line, row in enumerate(rows[1:], start=2):
            if len(row) < len(header) // 2:  # footer lines
                continue
            number = row[col["GEMEENTENUMMER"]].strip() if "GEMEENTENUMMER" in col else ""
            name = row[col["GEMEENTENAAM"]].strip() if "GEMEENTENAAM" in col else ""
            found = set()
            if number:
                if number not in BY_CODE:
                    problems.append(f"{path.name}:{line} GEMEENTENUMMER {number} is not in gemeenten.csv")
                    continue
                found.add(current_of(number))
            if name:
                by_name = index.get(spelling_key(name))
                if not by_name:
                    problems.append(f"{path.name}:{line} GEMEENTENAAM {name!r} matches no name")
                    continue
                found |= by_name
            if len(found) > 1:
                problems.append(f"{path.name}:{line} {number} {name!r} lead to {sorted(found)}")
                continue
            province_col = col.get("PROVINCIE", col.get("PROVINCIENAAM"))
            if found and province_col is not None and row[province_col].strip():
                own = provinces.get(spelling_key(row[province_col]))
                if own != BY_CODE[found.pop()]["provincie"]:
                    problems.append(f"{path.name}:{line} province {row[province_col]!r} is not the one of "
                                    f"{number} {name!r}")
            checked += 1
    assert checked > 10000
    assert problems == []


def test_the_shipped_sample_exercises_every_province_source():
    """raw/duo: own province column (two spellings of Fryslân), municipality number (empty province),
    municipality name (merged ones too), and institutions.csv alone (mbo)."""
    index, provinces = name_index(), seed_provinces()
    code_of_name = {spelling_key(r["gemeentenaam"]): c for c, r in BY_CODE.items()}
    spellings, by_number, merged_names = set(), 0, set()
    for path in sorted((REPO / "raw" / "duo").rglob("*.csv")):
        rows = _read_duo(path)
        header = [c.strip().upper().replace("_", " ") for c in rows[0]]
        own = next((header.index(c) for c in ("PROVINCIE", "PROVINCIENAAM", "PROVINCIE VESTIGING") if c in header),
                   None)
        number = header.index("GEMEENTENUMMER") if "GEMEENTENUMMER" in header else None
        name = header.index("GEMEENTENAAM") if "GEMEENTENAAM" in header else None
        for row in rows[1:]:
            if len(row) < len(header) // 2:
                continue
            if own is not None and row[own]:
                assert spelling_key(row[own]) in provinces, (path.name, row[own])
                spellings.add(row[own])
            elif number is not None:
                assert row[number] in BY_CODE, (path.name, row[number])
                by_number += 1
            if name is not None and number is None:
                assert spelling_key(row[name]) in index, (path.name, row[name])
                if BY_CODE[code_of_name[spelling_key(row[name])]]["opgegaan_in"]:
                    merged_names.add(row[name])
    assert {"Friesland", "FRYSLÂN", "Fryslân"} <= spellings
    assert by_number > 0
    assert {"SNEEK", "VEGHEL"} <= merged_names
    with (REPO / "raw" / "reference" / "institutions.csv").open(encoding="utf-8") as fh:
        institutions = list(csv.DictReader(fh, delimiter=";"))
    assert list(institutions[0]) == ["instellingscode", "naam", "soort", "opgegaan_in", "per_jaar", "provincie"]
    official = set(provinces.values())
    for inst in institutions:
        if inst["soort"] in ("mbo", "hbo", "wo"):
            assert inst["provincie"] in official, inst
