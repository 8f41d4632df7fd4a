#!/usr/bin/env python3
"""Generate the sample raw data shipped in ``raw/`` (hoger onderwijs part).

The files imitate DUO open-data deliveries as described in the raw-data
contract (sections 1-7): two layouts (legacy wide ``;``/cp1252 and long
``,``/UTF-8-BOM), overlapping releases ("vintages") that restate earlier years,
masked small counts, a merged institution and programme codes that are missing
from the CROHO classification.

The counts are *calibrated*: after stitching the deliveries the way the pipeline
must (latest delivery containing a year wins, masked cell = 2.5), the bèta/techniek
growth 2007 vs 2000 reproduces the figures of the Programmaplan 2008
(instroom hbo -4 %, wo +37 %, ho +10 %; uitstroom hbo -5 %, wo +39 %, ho +8 %;
hbo instroom excl. informatica clearly positive).  The script re-reads what it
wrote with an independent parser, prints the figures and asserts the targets.

Deterministic: fixed seeds, no clock, no network, stdlib only.  Running it twice
gives byte-identical files.

Usage:  python scripts/generate_sample_data.py [--raw-dir DIR] [--seed N] [--series]

Adding a sector later (mbo, vo, vmbo, programs): write a ``generate_<dataset>``
function that builds its rows, defines its vintages with :class:`Vintage` and
writes them with :func:`write_wide_csv` / :func:`write_long_csv`; add its
institutions to ``all_institutions()`` and call it from :func:`main`.
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DEFAULT_SEED = 20080317
REPO_ROOT = Path(__file__).resolve().parents[1]
YEARS = tuple(range(2000, 2008))
GENDERS = ("MAN", "VROUW")
FOOTER = "Bron: DUO, open onderwijsdata"
BOM = b"\xef\xbb\xbf"


# =============================================================================
# Shared helpers: vintages, count formatting, writers
# =============================================================================

@dataclass(frozen=True)
class Vintage:
    """One DUO delivery of a dataset: a file dated by its publication date."""

    date: str                 # YYYY-MM-DD, the file name prefix
    layout: str               # "W" (wide ;) or "L" (long ,)
    years: tuple[int, ...]    # study years (start year) it contains
    slug: str                 # free part of the file name

    @property
    def filename(self) -> str:
        return f"{self.date}_{self.slug}.csv"

    @property
    def provisional_year(self) -> int:
        # DUO marks the newest year of a release as voorlopig.
        return max(self.years)


def winning_vintage(vintages: list[Vintage], year: int) -> Vintage:
    """The latest delivery that contains ``year`` (the contract's stitching rule)."""
    return max((v for v in vintages if year in v.years), key=lambda v: v.date)


def restate(rng: random.Random, count: int, provisional: bool) -> int:
    """What a superseded delivery said about a cell whose final value is ``count``.

    Provisional years miss late registrations (mostly a few % lower); settled
    years are only occasionally corrected by a percent or two.
    """
    if count == 0:
        return 0
    if provisional:
        if rng.random() < 0.75:
            return max(0, round(count * rng.uniform(0.90, 0.99)))
        return count
    if rng.random() < 0.20:
        if count < 5:
            return max(0, count + rng.choice((-1, 1)))
        return max(0, round(count * rng.uniform(0.97, 1.03)))
    return count


def fmt_wide_count(n: int) -> str:
    """``;`` layouts: empty = 0, ``<5`` = masked 1-4, thousands separator ``.``."""
    if n == 0:
        return ""
    if n < 5:
        return "<5"
    return f"{n:,}".replace(",", ".")


def long_count(n: int) -> int:
    """Long layout: masked 1-4 is written as -1."""
    return -1 if 0 < n < 5 else n


def _check_plain(field: str) -> str:
    # The wide files are written without quoting (as DUO does), so a field may
    # not contain the separator or a quote.
    assert ";" not in field and '"' not in field and "\n" not in field, field
    return field


def write_wide_csv(path: Path, fixed_header: list[str], years: tuple[int, ...],
                   rows: list[tuple[list[str], dict[tuple[int, str], int]]],
                   year_columns=lambda y: (f"{y} MAN", f"{y} VROUW")) -> None:
    """Legacy wide layout: ``;``, cp1252, CRLF, two count columns per year,
    an empty line and a ``Bron: DUO`` footer after the data."""
    header = list(fixed_header)
    for y in years:
        header.extend(year_columns(y))
    lines = [";".join(header)]
    for fixed, counts in rows:
        cells = [_check_plain(f) for f in fixed]
        for y in years:
            cells.extend(fmt_wide_count(counts.get((y, g), 0)) for g in GENDERS)
        lines.append(";".join(cells))
    lines.extend(["", FOOTER])
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_long_csv(path: Path, header: list[str], records: list[list[str | int]]) -> None:
    """Long layout: ``,``, UTF-8 with BOM, CRLF, text fields quoted, numbers not."""
    def cell(v: str | int) -> str:
        if isinstance(v, int):
            return str(v)
        return '"' + v.replace('"', '""') + '"'

    lines = [",".join(cell(h) for h in header)]
    lines.extend(",".join(cell(v) for v in rec) for rec in records)
    path.write_bytes(BOM + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_reference_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Reference files: ``;``, UTF-8 (no BOM), LF."""
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode("utf-8"))


def clean_dataset_dir(folder: Path) -> None:
    """Remove previously generated deliveries so renamed vintages do not linger."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.csv")):
        old.unlink()


def round_half_away(x: Decimal, places: int = 0) -> Decimal:
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# =============================================================================
# HO reference data: institutions and programmes
# =============================================================================

@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    soort: str            # hbo / wo (later sectors: po, vo, vmbo, mbo)
    provincie: str
    gemeentenummer: str
    gemeentenaam: str
    size: float = 1.0     # relative size, drives the generated counts
    opgegaan_in: str = ""
    per_jaar: int | None = None


HO_INSTITUTIONS = [
    # --- universities (wo) ---
    Institution("21PB", "Universiteit Leiden", "wo", "Zuid-Holland", "0546", "LEIDEN", 0.8),
    Institution("21PC", "Erasmus Universiteit Rotterdam", "wo", "Zuid-Holland", "0599", "ROTTERDAM", 1.0),
    Institution("21PD", "Wageningen Universiteit", "wo", "Gelderland", "0289", "WAGENINGEN", 0.7),
    Institution("21PE", "Universiteit Utrecht", "wo", "Utrecht", "0344", "UTRECHT", 1.1),
    Institution("21PF", "Technische Universiteit Delft", "wo", "Zuid-Holland", "0503", "DELFT", 2.0),
    Institution("21PG", "Technische Universiteit Eindhoven", "wo", "Noord-Brabant", "0772", "EINDHOVEN", 1.2),
    Institution("21PH", "Universiteit Twente", "wo", "Overijssel", "0153", "ENSCHEDE", 1.0),
    Institution("21PI", "Universiteit Maastricht", "wo", "Limburg", "0935", "MAASTRICHT", 0.7),
    Institution("21PJ", "Rijksuniversiteit Groningen", "wo", "Groningen", "0014", "GRONINGEN", 1.0),
    Institution("21PK", "Universiteit van Amsterdam", "wo", "Noord-Holland", "0363", "AMSTERDAM", 1.0),
    Institution("21PL", "Vrije Universiteit Amsterdam", "wo", "Noord-Holland", "0363", "AMSTERDAM", 0.8),
    Institution("21PM", "Radboud Universiteit Nijmegen", "wo", "Gelderland", "0268", "NIJMEGEN", 0.8),
    Institution("21PN", "Universiteit van Tilburg", "wo", "Noord-Brabant", "0855", "TILBURG", 0.8),
    # --- hogescholen (hbo) ---
    Institution("00IC", "Avans Hogeschool", "hbo", "Noord-Brabant", "0758", "BREDA", 1.2),
    Institution("01MN", "Noordelijke Hogeschool Leeuwarden", "hbo", "Friesland", "0080", "LEEUWARDEN", 0.8),
    Institution("02DG", "Hogeschool Zuyd", "hbo", "Limburg", "0917", "HEERLEN", 0.9),
    Institution("07GR", "Hogeschool INHOLLAND", "hbo", "Noord-Holland", "0392", "HAARLEM", 1.1),
    Institution("21RI", "Hogeschool Leiden", "hbo", "Zuid-Holland", "0546", "LEIDEN", 0.6),
    Institution("21UI", "Hogeschool Rotterdam", "hbo", "Zuid-Holland", "0599", "ROTTERDAM", 1.5),
    Institution("21WN", "Christelijke Hogeschool Windesheim", "hbo", "Overijssel", "0193", "ZWOLLE", 0.9),
    Institution("22OJ", "Hogeschool Zeeland", "hbo", "Zeeland", "0718", "VLISSINGEN", 0.6),
    Institution("23JB", "Saxion Hogescholen", "hbo", "Overijssel", "0153", "ENSCHEDE", 1.1),
    Institution("25BE", "Hanzehogeschool Groningen", "hbo", "Groningen", "0014", "GRONINGEN", 1.2),
    Institution("25DW", "Hogeschool Utrecht", "hbo", "Utrecht", "0344", "UTRECHT", 1.4),
    Institution("25KB", "NHTV Internationaal Hoger Onderwijs Breda", "hbo", "Noord-Brabant", "0758", "BREDA", 0.5),
    Institution("25KC", "Hogeschool van Arnhem en Nijmegen", "hbo", "Gelderland", "0202", "ARNHEM", 1.2),
    Institution("27UB", "De Haagse Hogeschool", "hbo", "Zuid-Holland", "0518", "'S-GRAVENHAGE", 1.1),
    Institution("28DN", "Hogeschool van Amsterdam", "hbo", "Noord-Holland", "0363", "AMSTERDAM", 1.5),
    Institution("30GB", "Fontys Hogescholen", "hbo", "Noord-Brabant", "0772", "EINDHOVEN", 1.6),
    # Merged into Hogeschool Zeeland: old deliveries still carry 27UM before 2002.
    Institution("27UM", "Hogeschool Vlissingen", "hbo", "Zeeland", "0718", "VLISSINGEN", 0.0,
                opgegaan_in="22OJ", per_jaar=2002),
]
INSTITUTION_BY_CODE = {i.code: i for i in HO_INSTITUTIONS}


@dataclass(frozen=True)
class Programme:
    key: str
    code: str                  # CROHO code of the bachelor (hbo: the only one)
    name: str
    onderdeel: str             # CROHO onderdeel, lower case with spaces
    betatechniek: bool
    informatica: bool
    popularity: float          # relative size within an institution
    female: float              # share of women
    trend: float = 0.0         # yearly drift of the programme's share (log scale)
    start: int = 2000          # first intake year (new programmes start later)
    classified: bool = True    # False: deliberately missing from croho_classification.csv
    master: bool = True        # wo: graduates are counted under an M-code

    def code_for(self, dataset: str, sector: str) -> tuple[str, str]:
        """(opleidingscode, opleidingsnaam) under which the dataset reports it.

        wo graduates are reported under the master programme (CROHO 6xxxx), the
        others under the bachelor code.
        """
        if dataset == "ho_gediplomeerden" and sector == "wo":
            return "6" + self.code[1:], "M " + self.name[2:]
        return self.code, self.name


def _p(key, code, name, onderdeel, beta, inf, pop, female, trend=0.0, **kw) -> Programme:
    return Programme(key, code, name, onderdeel, beta, inf, pop, female, trend, **kw)


T, N, G, E, GZ = "techniek", "natuur", "gedrag en maatschappij", "economie", "gezondheidszorg"
HBO_PROGRAMMES = [
    # bèta/techniek
    _p("INF", "34479", "B Informatica", T, True, True, 3.0, 0.06),
    _p("TI", "34475", "B Technische Informatica", T, True, True, 1.8, 0.05),
    _p("WTB", "34035", "B Werktuigbouwkunde", T, True, False, 2.2, 0.04, 0.02),
    _p("ET", "34235", "B Elektrotechniek", T, True, False, 1.8, 0.03, -0.02),
    _p("CT", "34260", "B Civiele Techniek", T, True, False, 1.1, 0.12, 0.01),
    _p("BK", "34265", "B Bouwkunde", T, True, False, 1.4, 0.16, 0.02),
    _p("TBK", "34401", "B Technische Bedrijfskunde", T, True, False, 1.5, 0.15, 0.03),
    _p("TN", "34284", "B Technische Natuurkunde", T, True, False, 0.5, 0.12, -0.01),
    _p("LTV", "34409", "B Logistiek en Technische Vervoerskunde", T, True, False, 0.8, 0.13, 0.02),
    _p("LUCHT", "34620", "B Luchtvaarttechnologie", T, True, False, 1.2, 0.06, 0.02),
    _p("MAR", "34125", "B Maritiem Officier", T, True, False, 0.7, 0.05),
    _p("CHEM", "34396", "B Chemie", N, True, False, 0.8, 0.40, 0.01),
    _p("BML", "34397", "B Biologie en Medisch Laboratoriumonderzoek", N, True, False, 0.9, 0.62, 0.03),
    _p("TW", "34406", "B Toegepaste Wiskunde", N, True, False, 0.3, 0.30),
    # New programme (2002) that the classification has not picked up yet: the
    # pipeline must count it via its onderdeel (techniek) and report the code.
    _p("MECH", "34345", "B Mechatronica", T, True, False, 0.6, 0.03, 0.05, start=2002, classified=False),
    # not bèta/techniek
    _p("SPH", "34404", "B Sociaal Pedagogische Hulpverlening", G, False, False, 1.6, 0.85),
    _p("MWD", "34405", "B Maatschappelijk Werk en Dienstverlening", G, False, False, 1.3, 0.80),
    _p("VPK", "34560", "B Verpleegkunde", GZ, False, False, 3.0, 0.86, 0.02),
    _p("FYS", "34574", "B Fysiotherapie", GZ, False, False, 1.0, 0.55),
    _p("CE", "34410", "B Commerciële Economie", E, False, False, 2.2, 0.40),
    _p("BE", "34402", "B Bedrijfseconomie", E, False, False, 1.6, 0.35),
    _p("COMM", "34407", "B Communicatie", E, False, False, 1.0, 0.72),
    _p("PABO", "34808", "B Leraar Basisonderwijs", "onderwijs", False, False, 3.6, 0.86),
    # Missing from the classification too, but economie: must NOT be counted.
    _p("IBL", "34950", "B International Business and Languages", E, False, False, 0.8, 0.62,
       classified=False),
]

LNO = "landbouw en natuurlijke omgeving"
WO_PROGRAMMES = [
    # bèta/techniek
    _p("SK", "56860", "B Scheikunde", N, True, False, 1.2, 0.36, 0.03),
    _p("NK", "56984", "B Natuurkunde", N, True, False, 1.0, 0.15, 0.04),
    _p("WIS", "56980", "B Wiskunde", N, True, False, 0.8, 0.30, 0.04),
    _p("INFW", "56978", "B Informatica", N, True, True, 1.5, 0.08),
    _p("TIW", "56951", "B Technische Informatica", T, True, True, 1.4, 0.06),
    _p("KE", "56981", "B Kennistechnologie", N, True, True, 0.8, 0.15),
    _p("BIO", "56157", "B Biologie", N, True, False, 1.6, 0.56, 0.03),
    _p("MLW", "56158", "B Moleculaire Levenswetenschappen", N, True, False, 0.9, 0.55, 0.06),
    _p("AARD", "56986", "B Aardwetenschappen", N, True, False, 0.8, 0.35),
    _p("BG", "56990", "B Bèta-gamma", N, True, False, 0.7, 0.45, 0.08, master=False),
    _p("WTBW", "56954", "B Werktuigbouwkunde", T, True, False, 2.2, 0.07, 0.03),
    _p("ETW", "56953", "B Elektrotechniek", T, True, False, 1.4, 0.06),
    _p("CTW", "56952", "B Civiele Techniek", T, True, False, 1.2, 0.22, 0.02),
    _p("TNW", "56955", "B Technische Natuurkunde", T, True, False, 1.2, 0.11, 0.03),
    _p("STW", "56960", "B Scheikundige Technologie", T, True, False, 1.0, 0.28, 0.02),
    _p("LRW", "56961", "B Luchtvaart- en Ruimtevaarttechniek", T, True, False, 1.6, 0.09, 0.04),
    _p("BKW", "56962", "B Bouwkunde", T, True, False, 2.0, 0.42, 0.03),
    _p("TBKW", "56964", "B Technische Bedrijfskunde", T, True, False, 1.4, 0.20, 0.03),
    _p("IOW", "56965", "B Industrieel Ontwerpen", T, True, False, 1.5, 0.38, 0.05),
    _p("TWW", "56966", "B Technische Wiskunde", T, True, False, 0.7, 0.18, 0.02),
    # Onderdeel is landbouw, but the classification says bèta/techniek.
    _p("BIOT", "56835", "B Biotechnologie", LNO, True, False, 1.0, 0.50, 0.04),
    # not bèta/techniek
    _p("BNB", "56836", "B Bos- en Natuurbeheer", LNO, False, False, 0.8, 0.40),
    _p("RECHT", "50400", "B Rechtsgeleerdheid", "recht", False, False, 2.5, 0.60),
    _p("PSY", "56604", "B Psychologie", G, False, False, 2.2, 0.75, 0.02),
    _p("ECON", "50950", "B Economie en Bedrijfseconomie", E, False, False, 2.4, 0.30),
    _p("ECMTR", "50952", "B Econometrie en Operationele Research", E, False, False, 0.6, 0.20),
    _p("GEN", "56551", "B Geneeskunde", GZ, False, False, 1.8, 0.66),
    _p("NTC", "56813", "B Nederlandse Taal en Cultuur", "taal en cultuur", False, False, 0.5, 0.70),
]
PROGRAMME_BY_KEY = {p.key: p for p in HBO_PROGRAMMES + WO_PROGRAMMES}

# What each institution offers.  "27UM:" marks programmes that came with the
# merger of Hogeschool Vlissingen into Hogeschool Zeeland.
HBO_NON_BETA = "SPH MWD VPK FYS CE BE COMM PABO IBL"
HO_OFFER = {
    "30GB": "INF TI WTB ET TN BK CT TBK MECH CHEM TW " + HBO_NON_BETA,
    "28DN": "INF TI WTB ET BK CT LTV CHEM TBK " + HBO_NON_BETA,
    "21UI": "INF TI WTB ET CT BK CHEM TBK LTV MAR SPH MWD VPK FYS CE BE COMM PABO",
    "25DW": "INF TI WTB ET CT BK TN BML TBK SPH MWD VPK FYS CE BE COMM PABO IBL",
    "25BE": "INF TI WTB ET CT BK TN BML CHEM SPH VPK FYS CE BE COMM PABO",
    "23JB": "INF TI WTB ET CT BK CHEM TBK MECH SPH MWD VPK CE BE PABO IBL",
    "25KC": "INF TI WTB ET CT BK BML CHEM SPH MWD VPK FYS CE BE COMM PABO",
    "21WN": "INF WTB ET BK CT TBK SPH MWD VPK CE BE PABO",
    "21RI": "INF BML CHEM SPH VPK CE COMM PABO",
    "01MN": "INF TI WTB ET CT BK MAR CHEM SPH VPK CE BE PABO",
    "07GR": "INF TI WTB ET LUCHT CT BK CHEM BML SPH MWD VPK FYS CE BE COMM PABO IBL",
    "27UB": "INF TI WTB ET TBK CT SPH MWD VPK FYS CE BE COMM PABO",
    "25KB": "INF LTV CE COMM",
    "00IC": "INF TI WTB ET CT BK CHEM BML TBK MECH SPH MWD VPK FYS CE BE COMM PABO",
    "02DG": "INF TI WTB ET CT BK CHEM BML SPH VPK FYS CE BE COMM PABO",
    "22OJ": "INF CT CHEM SPH VPK 27UM:WTB 27UM:ET 27UM:MAR 27UM:BE",
    "21PB": "SK NK WIS INFW BIO RECHT PSY NTC GEN",
    "21PC": "RECHT ECON ECMTR PSY GEN",
    "21PD": "BIOT MLW BIO SK BNB ECON",
    "21PE": "SK NK WIS INFW BIO AARD MLW RECHT PSY ECON GEN NTC",
    "21PF": "WTBW ETW CTW TNW STW LRW BKW TBKW IOW TWW TIW AARD",
    "21PG": "WTBW ETW TNW STW BKW TBKW IOW TWW TIW",
    "21PH": "WTBW ETW CTW TNW STW TBKW IOW TWW TIW PSY",
    "21PI": "KE GEN RECHT PSY ECON",
    "21PJ": "SK NK WIS INFW BIO TNW AARD RECHT PSY ECON ECMTR GEN NTC",
    "21PK": "SK NK WIS INFW BIO BG RECHT PSY ECON ECMTR GEN NTC",
    "21PL": "SK NK WIS INFW BIO AARD RECHT PSY ECON ECMTR GEN",
    "21PM": "SK NK WIS INFW BIO MLW RECHT PSY ECON GEN NTC",
    "21PN": "RECHT ECON ECMTR PSY NTC",
}

VORM_LONG = {"VT": "voltijd onderwijs", "DT": "deeltijd onderwijs", "DU": "duaal onderwijs"}
VORM_SIZE = {"VT": 1.0, "DT": 0.15, "DU": 0.08}


def counts_as_beta(prog: Programme) -> bool:
    """Classification first; an unclassified code falls back to its onderdeel."""
    if prog.classified:
        return prog.betatechniek
    return prog.onderdeel in ("natuur", "techniek")


def target_group(prog: Programme) -> str:
    if not counts_as_beta(prog):
        return "other"
    return "inf" if prog.classified and prog.informatica else "beta"


# Calibration targets: stitched value per (dataset, sector, group) for 2000..2007.
# hbo informatica inflow peaks in 2000-2001 (ICT bubble) and then drops, which
# hides the growth of the rest of hbo bèta/techniek; its graduates peak ~4 years
# later.  Resulting growth 2007 vs 2000:
#   instroom  hbo 17000 -> 16320 (-4.0 %), wo 8800 -> 12056 (+37.0 %), ho +9.98 %
#   uitstroom hbo 12400 -> 11780 (-5.0 %), wo 5200 -> 7228 (+39.0 %), ho +8.0 %
#   hbo instroom excl. informatica 12000 -> 13420 (+11.8 %)
def _growing(base: float, rate: float) -> tuple[int, ...]:
    return tuple(round(base * (1 + rate) ** i) for i in range(len(YEARS)))


HO_TARGETS: dict[tuple[str, str, str], tuple[int, ...]] = {
    ("ho_eerstejaars", "hbo", "inf"): (5000, 5200, 4400, 3700, 3300, 3050, 2950, 2900),
    ("ho_eerstejaars", "hbo", "beta"): (12000, 12100, 12350, 12600, 12850, 13050, 13250, 13420),
    ("ho_eerstejaars", "hbo", "other"): _growing(62000, 0.015),
    ("ho_eerstejaars", "wo", "inf"): (1100, 1150, 950, 850, 800, 820, 850, 900),
    ("ho_eerstejaars", "wo", "beta"): (7700, 7800, 8150, 8600, 9300, 9900, 10600, 11156),
    ("ho_eerstejaars", "wo", "other"): _growing(24000, 0.03),
    ("ho_gediplomeerden", "hbo", "inf"): (2300, 2350, 2500, 2700, 2800, 2750, 2500, 2200),
    ("ho_gediplomeerden", "hbo", "beta"): (10100, 9950, 9800, 9650, 9550, 9500, 9520, 9580),
    ("ho_gediplomeerden", "hbo", "other"): _growing(50000, 0.015),
    ("ho_gediplomeerden", "wo", "inf"): (500, 480, 470, 520, 600, 650, 700, 720),
    ("ho_gediplomeerden", "wo", "beta"): (4700, 4820, 5000, 5250, 5500, 5850, 6200, 6508),
    ("ho_gediplomeerden", "wo", "other"): _growing(15000, 0.025),
}

# Expected outcome (checked by verify()): growth_pct 2007 vs 2000 rounded to a whole %.
HO_EXPECTED = {
    ("instroom", "hbo"): -4, ("instroom", "wo"): 37, ("instroom", "ho"): 10,
    ("uitstroom", "hbo"): -5, ("uitstroom", "wo"): 39, ("uitstroom", "ho"): 8,
}

HO_VINTAGES = {
    "ho_eerstejaars": [
        Vintage("2005-03-15", "W", tuple(range(2000, 2005)), "eerstejaars_ho"),
        Vintage("2006-03-15", "L", tuple(range(2001, 2006)), "eerstejaars_ho"),
        Vintage("2008-03-17", "W", tuple(range(2003, 2008)), "eerstejaars_ho"),
    ],
    # Graduates of study year Y are only known after its summer: one year later.
    "ho_gediplomeerden": [
        Vintage("2006-03-13", "L", tuple(range(2000, 2005)), "gediplomeerden_ho"),
        Vintage("2007-03-12", "W", tuple(range(2001, 2006)), "gediplomeerden_ho"),
        Vintage("2009-03-16", "L", tuple(range(2003, 2008)), "gediplomeerden_ho"),
    ],
}


# =============================================================================
# HO: rows and "true" (final) counts
# =============================================================================

@dataclass(frozen=True)
class HoRow:
    """One institution x programme x opleidingsvorm (under the surviving code)."""

    inst: Institution
    origin: Institution | None     # pre-merger institution, if any
    prog: Programme
    vorm: str                      # VT / DT / DU
    weight: float
    slope: float
    female: float

    @property
    def sector(self) -> str:
        return self.inst.soort


def build_ho_rows(seed: int) -> list[HoRow]:
    """The offer: which programmes in which forms, with random relative sizes."""
    rng = random.Random(f"{seed}/ho_rows")
    rows = []
    for inst_code, offer in HO_OFFER.items():
        inst = INSTITUTION_BY_CODE[inst_code]
        for item in offer.split():
            origin = None
            if ":" in item:
                origin_code, item = item.split(":")
                origin = INSTITUTION_BY_CODE[origin_code]
            prog = PROGRAMME_BY_KEY[item]
            # Most programmes are voltijd only; hbo offers deeltijd/duaal variants.
            vormen = ["VT"]
            if inst.soort == "hbo":
                if rng.random() < (0.40 if counts_as_beta(prog) else 0.30):
                    vormen.append("DT")
                if rng.random() < 0.12:
                    vormen.append("DU")
            elif rng.random() < 0.06:
                vormen.append("DT")
            size = inst.size if origin is None else 0.7
            for vorm in vormen:
                rows.append(HoRow(
                    inst=inst, origin=origin, prog=prog, vorm=vorm,
                    weight=size * prog.popularity * VORM_SIZE[vorm] * rng.lognormvariate(0, 0.35),
                    slope=rng.gauss(0, 0.02),
                    female=min(0.92, prog.female * rng.lognormvariate(0, 0.20)),
                ))
    return rows


def programme_code(row: HoRow, dataset: str) -> tuple[str, str]:
    return row.prog.code_for(dataset, row.sector)


def masked_value(count: int) -> float:
    """What a cell contributes to a mart figure (masked 1-4 counts 2.5)."""
    return 2.5 if 0 < count < 5 else float(count)


def build_ho_truth(dataset: str, rows: list[HoRow], seed: int
                   ) -> dict[int, dict[tuple[int, str], int]]:
    """Final counts per row, year and gender, calibrated to HO_TARGETS.

    Each row follows a smooth trend with a little noise; per (sector, group,
    year) the rows are scaled to the target total and the remaining rounding
    difference (incl. masking's 2.5) is put on the largest cell.
    """
    rng = random.Random(f"{seed}/{dataset}/truth")
    # Graduates need a few years after the first intake of a new programme.
    lag = 0 if dataset == "ho_eerstejaars" else 4
    expected: dict[int, dict[int, float]] = {}
    for i, row in enumerate(rows):
        if dataset == "ho_gediplomeerden" and row.sector == "wo" and not row.prog.master:
            continue  # bachelor-only programme: its graduates go on to other masters
        weight = row.weight * rng.lognormvariate(0, 0.15)
        expected[i] = {}
        for y in YEARS:
            t = y - 2000
            e = weight * math.exp((row.prog.trend + row.slope) * t) * (1 + rng.gauss(0, 0.04))
            # Programmes running before 2000 have graduates from the start.
            first = row.prog.start + lag if row.prog.start > YEARS[0] else YEARS[0]
            expected[i][y] = e if y >= first else 0.0

    truth: dict[int, dict[tuple[int, str], int]] = {i: {} for i in expected}
    for (ds, sector, group), targets in HO_TARGETS.items():
        if ds != dataset:
            continue
        members = [i for i in expected
                   if rows[i].sector == sector and target_group(rows[i].prog) == group]
        for y, target in zip(YEARS, targets):
            total_e = sum(expected[i][y] for i in members)
            for i in members:
                n = round(target * expected[i][y] / total_e)
                # Jitter the gender split on the log-odds scale so small
                # minorities (women in techniek, men in pabo) stay plausible.
                f = rows[i].female
                share = 1 / (1 + math.exp(-(math.log(f / (1 - f)) + rng.gauss(0, 0.08))))
                women = round(n * share)
                truth[i][(y, "MAN")] = n - women
                truth[i][(y, "VROUW")] = women
            value = sum(masked_value(truth[i][(y, g)]) for i in members for g in GENDERS)
            largest = max(members, key=lambda i: truth[i][(y, "MAN")])
            fix = int(round_half_away(Decimal(str(target - value))))
            truth[largest][(y, "MAN")] += fix
            assert truth[largest][(y, "MAN")] >= 5, (dataset, sector, group, y)
    return truth


# =============================================================================
# HO: deliveries
# =============================================================================

W_FIXED_HEADER = [
    "PROVINCIE", "GEMEENTENUMMER", "GEMEENTENAAM", "SOORT INSTELLING", "TYPE HOGER ONDERWIJS",
    "BRIN NUMMER ACTUEEL", "INSTELLINGSNAAM ACTUEEL", "CROHO ONDERDEEL", "CROHO SUBONDERDEEL",
    "OPLEIDINGSCODE ACTUEEL", "OPLEIDINGSNAAM ACTUEEL", "OPLEIDINGSVORM", "OPLEIDINGSFASE ACTUEEL",
]
L_HEADER = [
    "PROVINCIENAAM", "GEMEENTENUMMER", "GEMEENTENAAM", "SOORT_INSTELLING", "TYPE_HOGER_ONDERWIJS",
    "INSTELLINGSCODE_ACTUEEL", "INSTELLINGSNAAM_ACTUEEL", "ONDERDEEL", "SUBONDERDEEL",
    "OPLEIDINGSCODE_ACTUEEL", "OPLEIDINGSNAAM_ACTUEEL", "OPLEIDINGSVORM",
]

# One phase per dataset and sector, so every row counts once (no bachelor/master
# double counting): first-years enter the (propedeuse) bachelor, hbo graduates
# get a bachelor diploma, wo graduates are counted at master level.
OPLEIDINGSFASE = {
    ("ho_eerstejaars", "hbo"): "propedeuse bachelor",
    ("ho_eerstejaars", "wo"): "bachelor",
    ("ho_gediplomeerden", "hbo"): "bachelor",
    ("ho_gediplomeerden", "wo"): "master",
}


def reported_institution(row: HoRow, vintage: Vintage, vintages: list[Vintage],
                         year: int) -> Institution:
    """The oldest delivery still reports merged programmes under the old code
    for the years before the merger; later ones restate them under the survivor."""
    oldest = min(vintages, key=lambda v: v.date)
    if row.origin is not None and vintage == oldest and year < row.origin.per_jaar:
        return row.origin
    return row.inst


def ho_delivery_cells(dataset: str, rows: list[HoRow], truth, vintage: Vintage,
                      vintages: list[Vintage], rng: random.Random):
    """{(institution, row index): {(year, gender): count}} as this delivery reports it."""
    cells: dict[tuple[str, int], dict[tuple[int, str], int]] = {}
    for i in truth:
        for y in vintage.years:
            inst = reported_institution(rows[i], vintage, vintages, y)
            for g in GENDERS:
                count = truth[i].get((y, g), 0)
                if winning_vintage(vintages, y) != vintage:
                    count = restate(rng, count, provisional=(y == vintage.provisional_year))
                cells.setdefault((inst.code, i), {})[(y, g)] = count
    # Rows without a single count in this delivery are not published.
    keep = {k: v for k, v in cells.items() if any(v.values())}
    vorm_order = {"VT": 0, "DT": 1, "DU": 2}
    return dict(sorted(keep.items(), key=lambda kv: (
        rows[kv[0][1]].sector, kv[0][0], programme_code(rows[kv[0][1]], dataset)[0],
        vorm_order[rows[kv[0][1]].vorm])))


def write_ho_wide(path: Path, dataset: str, rows: list[HoRow], cells, vintage: Vintage) -> None:
    out = []
    for (inst_code, i), counts in cells.items():
        row, inst = rows[i], INSTITUTION_BY_CODE[inst_code]
        code, name = programme_code(row, dataset)
        fixed = [inst.provincie, inst.gemeentenummer, inst.gemeentenaam, "reguliere inst.",
                 row.sector, inst.code, inst.name, row.prog.onderdeel,
                 f"n.v.t. ({row.prog.onderdeel})", code, name, VORM_LONG[row.vorm],
                 OPLEIDINGSFASE[(dataset, row.sector)]]
        out.append((fixed, counts))
    write_wide_csv(path, W_FIXED_HEADER, vintage.years, out)


def write_ho_long(path: Path, dataset: str, rows: list[HoRow], cells, vintage: Vintage,
                  soort_diploma: bool) -> None:
    year_col = "STUDIEJAAR" if dataset == "ho_eerstejaars" else "DIPLOMAJAAR"
    header = [year_col, *L_HEADER] + (["SOORT_DIPLOMA"] if soort_diploma else []) + ["GESLACHT", "AANTAL"]
    records = []
    for y in vintage.years:
        for (inst_code, i), counts in cells.items():
            row, inst = rows[i], INSTITUTION_BY_CODE[inst_code]
            code, name = programme_code(row, dataset)
            # Newer releases: upper case values, underscores instead of spaces.
            onderdeel = row.prog.onderdeel.upper()
            fixed = [inst.provincie.upper(), inst.gemeentenummer, inst.gemeentenaam,
                     "REGULIERE INST.", row.sector.upper(), inst.code, inst.name,
                     onderdeel.replace(" ", "_"), f"N.V.T. ({onderdeel})", code, name, row.vorm]
            if soort_diploma:
                fixed.append(OPLEIDINGSFASE[(dataset, row.sector)].upper())
            for g in GENDERS:
                n = counts.get((y, g), 0)
                if n:  # like DUO's long files: no rows for zero counts
                    records.append([y, *fixed, g, long_count(n)])
    write_long_csv(path, header, records)


def generate_ho_dataset(raw_dir: Path, dataset: str, rows: list[HoRow], seed: int) -> list[dict]:
    """Write all deliveries of one HO dataset; returns a summary per file."""
    folder = raw_dir / "duo" / dataset
    clean_dataset_dir(folder)
    truth = build_ho_truth(dataset, rows, seed)
    vintages = HO_VINTAGES[dataset]
    newest = max(vintages, key=lambda v: v.date)
    summary = []
    for vintage in vintages:
        rng = random.Random(f"{seed}/{dataset}/{vintage.date}")
        cells = ho_delivery_cells(dataset, rows, truth, vintage, vintages, rng)
        path = folder / vintage.filename
        if vintage.layout == "W":
            write_ho_wide(path, dataset, rows, cells, vintage)
        else:
            # Only the newest graduates release carries the SOORT_DIPLOMA column.
            write_ho_long(path, dataset, rows, cells, vintage,
                          soort_diploma=(dataset == "ho_gediplomeerden" and vintage == newest))
        masked = sum(1 for c in cells.values() for n in c.values() if 0 < n < 5)
        summary.append({"file": path, "layout": vintage.layout, "years": vintage.years,
                        "rows": len(cells), "masked_cells": masked})
    return summary


def generate_ho_reference(raw_dir: Path) -> None:
    """CROHO classification (without the deliberately unclassified codes)."""
    out = {}
    for row_prog, sector in [(p, "hbo") for p in HBO_PROGRAMMES] + [(p, "wo") for p in WO_PROGRAMMES]:
        if not row_prog.classified:
            continue
        datasets = ["ho_eerstejaars"] + (["ho_gediplomeerden"] if sector == "wo" and row_prog.master else [])
        for ds in datasets:
            code, name = row_prog.code_for(ds, sector)
            out[code] = [code, name, row_prog.onderdeel, "J" if row_prog.betatechniek else "N",
                         "J" if row_prog.informatica else "N"]
    write_reference_csv(raw_dir / "reference" / "croho_classification.csv",
                        ["opleidingscode", "opleidingsnaam", "onderdeel", "betatechniek", "informatica"],
                        [out[c] for c in sorted(out)])


def all_institutions() -> list[Institution]:
    # Later sectors append their institutions here.
    return list(HO_INSTITUTIONS)


def write_institutions(raw_dir: Path, institutions: list[Institution]) -> None:
    order = {"po": 0, "vo": 1, "vmbo": 2, "mbo": 3, "hbo": 4, "wo": 5}
    rows = [[i.code, i.name, i.soort, i.opgegaan_in, "" if i.per_jaar is None else str(i.per_jaar)]
            for i in sorted(institutions, key=lambda i: (order[i.soort], i.code))]
    write_reference_csv(raw_dir / "reference" / "institutions.csv",
                        ["instellingscode", "naam", "soort", "opgegaan_in", "per_jaar"], rows)


# =============================================================================
# Independent check: read the files back the way the contract describes
# =============================================================================

def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().replace("_", " ")).upper()


_ALIASES = {
    "INSTELLINGSCODE ACTUEEL": "BRIN NUMMER ACTUEEL",
    "CROHO ONDERDEEL": "ONDERDEEL",
    "OPLEIDINGSCODE": "OPLEIDINGSCODE ACTUEEL",
    "DIPLOMAJAAR": "JAAR",
    "STUDIEJAAR": "JAAR",
}
_YEAR_COL = re.compile(r"^(\d{4}) (MAN|VROUW)$")


def read_ho_delivery(path: Path) -> tuple[set[int], list[dict]]:
    """Parse one HO delivery in either layout into cells
    {year, sector, instelling, code, onderdeel, value, masked}."""
    data = path.read_bytes()
    text = data[len(BOM):].decode("utf-8") if data.startswith(BOM) else data.decode("cp1252")
    lines = list(csv.reader(io.StringIO(text, newline=""),
                            delimiter=";" if ";" in text.splitlines()[0] else ","))
    header = [_ALIASES.get(_norm(h), _norm(h)) for h in lines[0]]
    col = {h: k for k, h in enumerate(header)}
    cells, years = [], set()

    def add(rec, year, raw):
        raw = raw.strip()
        masked = raw in ("<5", "-1")
        value = 2.5 if masked else (0 if raw == "" else int(raw.replace(".", "")))
        assert value >= 0, (path, raw)
        cells.append({"year": year, "sector": rec[col["TYPE HOGER ONDERWIJS"]].strip().lower(),
                      "instelling": rec[col["BRIN NUMMER ACTUEEL"]].strip(),
                      "code": rec[col["OPLEIDINGSCODE ACTUEEL"]].strip(),
                      "onderdeel": _norm(rec[col["ONDERDEEL"]]).lower(),
                      "value": value, "masked": masked})

    year_cols = [(k, int(m.group(1))) for k, h in enumerate(header) if (m := _YEAR_COL.match(h))]
    for rec in lines[1:]:
        if len(rec) < len(header) or not rec[col["BRIN NUMMER ACTUEEL"]].strip():
            continue  # empty line / "Bron: DUO" footer
        if year_cols:
            for k, y in year_cols:
                add(rec, y, rec[k])
        else:
            y = int(rec[col["JAAR"]])
            years.add(y)
            add(rec, y, rec[col["AANTAL"]])
    if year_cols:
        years = {y for _, y in year_cols}
    return years, cells


def read_classification(path: Path) -> dict[str, tuple[bool, bool]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["opleidingscode"]: (r["betatechniek"] == "J", r["informatica"] == "J")
                for r in csv.DictReader(fh, delimiter=";")}


def compute_ho_figures(raw_dir: Path) -> dict:
    """{(measure, sector): {year: Decimal value}} from the files on disk."""
    classification = read_classification(raw_dir / "reference" / "croho_classification.csv")
    figures: dict[tuple[str, str], dict[int, Decimal]] = {}
    stats = {"unclassified": set(), "masked_beta": {}, "institutions": set()}
    for dataset, measure in (("ho_eerstejaars", "instroom"), ("ho_gediplomeerden", "uitstroom")):
        deliveries = {}
        for path in sorted((raw_dir / "duo" / dataset).glob("*.csv")):
            date = re.match(r"^(\d{4}-\d{2}-\d{2})_", path.name).group(1)
            deliveries[date] = read_ho_delivery(path)
        all_years = sorted(set().union(*(ys for ys, _ in deliveries.values())))
        for year in all_years:
            winner = max(d for d, (ys, _) in deliveries.items() if year in ys)
            for cell in deliveries[winner][1]:
                if cell["year"] != year:
                    continue
                stats["institutions"].add(cell["instelling"])
                if cell["code"] in classification:
                    beta, inf = classification[cell["code"]]
                else:
                    beta, inf = cell["onderdeel"] in ("natuur", "techniek"), False
                    if beta:
                        stats["unclassified"].add((dataset, cell["code"]))
                if not beta:
                    continue
                if cell["masked"]:
                    key = (measure, year)
                    stats["masked_beta"][key] = stats["masked_beta"].get(key, 0) + 1
                for m, include in ((measure, True), (measure + "_excl_informatica", not inf)):
                    if include:
                        for sector in (cell["sector"], "ho"):
                            series = figures.setdefault((m, sector), {})
                            series[year] = series.get(year, Decimal(0)) + Decimal(str(cell["value"]))
    return {"figures": figures, "stats": stats}


def growth_pct(series: dict[int, Decimal], year: int, base: int = 2000) -> Decimal:
    index = Decimal(100) * series[year] / series[base]
    return round_half_away(index - 100, 1)


def verify(raw_dir: Path, show_series: bool) -> None:
    result = compute_ho_figures(raw_dir)
    figures, stats = result["figures"], result["stats"]
    print(f"\n{'measure':<28}{'sector':<7}{'2000':>10}{'2007':>10}{'growth_pct':>12}{'target':>8}")
    failures = []
    for measure in ("instroom", "instroom_excl_informatica", "uitstroom", "uitstroom_excl_informatica"):
        for sector in ("hbo", "wo", "ho"):
            series = figures[(measure, sector)]
            g = growth_pct(series, 2007)
            target = HO_EXPECTED.get((measure, sector))
            mark = "" if target is None else f"{target:+d}"
            print(f"{measure:<28}{sector:<7}{series[2000]:>10.1f}{series[2007]:>10.1f}{g:>+12}{mark:>8}")
            if show_series:
                print("    " + "  ".join(f"{y}:{series[y]:.1f}" for y in sorted(series)))
            if any(series.get(y, 0) <= 0 for y in YEARS):
                failures.append(f"{measure} {sector}: a year without bèta/techniek")
            if target is not None:
                # Rounded to a whole percent it must hit, and not by a hair.
                if round_half_away(g) != target or abs(g - target) > Decimal("0.3"):
                    failures.append(f"{measure} {sector}: {g} is not {target} (±0.3)")
    g = growth_pct(figures[("instroom_excl_informatica", "hbo")], 2007)
    if not Decimal(5) <= g <= Decimal(15):
        failures.append(f"hbo instroom_excl_informatica growth {g} not in +5..+15")
    print(f"\nunclassified bèta codes (onderdeel fallback): {sorted(stats['unclassified'])}")
    masked = stats["masked_beta"]
    print("masked bèta cells in the winning data, 2000/2007: "
          + ", ".join(f"{m} {masked.get((m, 2000), 0)}/{masked.get((m, 2007), 0)}"
                      for m in ("instroom", "uitstroom")))
    if not stats["unclassified"]:
        failures.append("no unclassified bèta code in the data")
    if not all(masked.get((m, y)) for m in ("instroom", "uitstroom") for y in (2000, 2007)):
        failures.append("no masked bèta cell in 2000 or 2007")
    if "27UM" not in stats["institutions"]:
        failures.append("merged institution 27UM absent from the winning data")
    assert not failures, "calibration failed:\n  " + "\n  ".join(failures)
    print("all calibration targets met")


def check_files(summary: list[dict]) -> None:
    """Cheap structural checks on what was written."""
    for s in summary:
        data = s["file"].read_bytes()
        assert s["masked_cells"] > 0, s
        if s["layout"] == "W":
            text = data.decode("cp1252")
            assert re.search(r";\d{1,3}\.\d{3}(;|\r)", text), f"no thousands separator in {s['file']}"
            assert text.endswith("\r\n\r\n" + FOOTER + "\r\n")
        else:
            assert data.startswith(BOM)


# =============================================================================

def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--raw-dir", type=Path, default=REPO_ROOT / "raw")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--series", action="store_true", help="also print the yearly series")
    args = ap.parse_args(argv)
    raw_dir: Path = args.raw_dir
    (raw_dir / "reference").mkdir(parents=True, exist_ok=True)

    ho_rows = build_ho_rows(args.seed)
    summary = []
    for dataset in ("ho_eerstejaars", "ho_gediplomeerden"):
        summary += generate_ho_dataset(raw_dir, dataset, ho_rows, args.seed)
    generate_ho_reference(raw_dir)
    write_institutions(raw_dir, all_institutions())
    check_files(summary)

    print(f"HO programme rows (institution x programme x vorm): {len(ho_rows)}")
    for s in summary:
        rel = s["file"].relative_to(raw_dir)
        print(f"  {str(rel):<55} {s['layout']}  {s['years'][0]}-{s['years'][-1]}"
              f"  rows={s['rows']:<4} masked cells={s['masked_cells']}")
    verify(raw_dir, args.series)


if __name__ == "__main__":
    main()
