#!/usr/bin/env python3
"""Generate the sample raw data shipped in ``raw/``.

The files imitate DUO open-data deliveries as described in the raw-data
contract (sections 1-7): HO in two layouts (legacy wide ``;``/cp1252 and long
``,``/UTF-8-BOM), mbo, havo/vwo and vmbo in their wide ``;`` layouts,
overlapping releases ("vintages") that restate earlier years, masked small
counts, merged institutions (hbo and vo), HO programme codes missing from the
CROHO classification, and the Platform's programme participation files.

The counts are *calibrated*: after stitching the deliveries the way the pipeline
must (latest delivery containing a year wins, masked cell = 2.5) they reproduce
the figures of the Programmaplan 2008: bèta/techniek growth 2007 vs 2000
(instroom hbo -4 %, wo +37 %, ho +10 %; uitstroom hbo -5 %, wo +39 %, ho +8 %;
hbo instroom excl. informatica clearly positive), mbo uitstroom 2006 -2 %, vmbo
uitstroom 2006 -15 % (theoretische leerweg +5 %), havo/vwo N-profielen 2007
+56 % (+59 % at Universum/Jet-Net schools), the vwo N-profiel shares 50 -> 55 %
(girls 42.5 -> 50 %, girls at Universum schools 45.5 -> 51 %) and the
participation counts of table 1.  The script re-reads what it wrote with an
independent parser, prints the figures and asserts the targets.

Deterministic: fixed seeds (one random stream per dataset), no clock, no
network, stdlib only.  Running it twice gives byte-identical files.

Usage:  python scripts/generate_sample_data.py [--raw-dir DIR] [--seed N] [--series]

Adding a dataset: write a ``generate_<dataset>`` function that builds its
rows, defines its vintages with :class:`Vintage` and writes them with
:func:`write_wide_csv` / :func:`write_long_csv` (see :func:`delivery_rows` and
:func:`calibrate`); add its institutions to ``all_institutions()``, call it
from :func:`main` and extend the checker (:func:`verify`).
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
    soort: str            # po / vo / vmbo / mbo / hbo / wo
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


def all_institutions(registry: Registry) -> list[Institution]:
    return list(HO_INSTITUTIONS) + registry.institutions()


def write_institutions(raw_dir: Path, institutions: list[Institution]) -> None:
    order = {"po": 0, "vo": 1, "vmbo": 2, "mbo": 3, "hbo": 4, "wo": 5}
    rows = [[i.code, i.name, i.soort, i.opgegaan_in, "" if i.per_jaar is None else str(i.per_jaar)]
            for i in sorted(institutions, key=lambda i: (order[i.soort], i.code))]
    write_reference_csv(raw_dir / "reference" / "institutions.csv",
                        ["instellingscode", "naam", "soort", "opgegaan_in", "per_jaar"], rows)


# =============================================================================
# Other sectors: places, institutions and programme participation
# =============================================================================
# po/vo/vmbo/mbo institutions get invented BRIN-like codes.  They are built
# before any dataset because the vo counts depend on who takes part in which
# programme (the Platform's program-group figures).

@dataclass(frozen=True)
class Town:
    name: str          # as written in names; DUO files use the upper-case form
    provincie: str
    weight: float      # rough size: how many schools it gets

    @property
    def upper(self) -> str:
        return self.name.upper()


TOWNS = [Town(*t) for t in [
    ("Amsterdam", "Noord-Holland", 7), ("Haarlem", "Noord-Holland", 2.5), ("Alkmaar", "Noord-Holland", 2),
    ("Hilversum", "Noord-Holland", 1.5), ("Zaandam", "Noord-Holland", 2), ("Hoorn", "Noord-Holland", 1.2),
    ("Den Helder", "Noord-Holland", 1), ("Purmerend", "Noord-Holland", 1.2),
    ("Rotterdam", "Zuid-Holland", 6.5), ("'s-Gravenhage", "Zuid-Holland", 5), ("Leiden", "Zuid-Holland", 2),
    ("Dordrecht", "Zuid-Holland", 2), ("Delft", "Zuid-Holland", 1.5), ("Gouda", "Zuid-Holland", 1.2),
    ("Schiedam", "Zuid-Holland", 1), ("Zoetermeer", "Zuid-Holland", 1.8), ("Spijkenisse", "Zuid-Holland", 1),
    ("Alphen aan den Rijn", "Zuid-Holland", 1.2),
    ("Utrecht", "Utrecht", 4), ("Amersfoort", "Utrecht", 2), ("Zeist", "Utrecht", 1.2),
    ("Nieuwegein", "Utrecht", 1), ("Veenendaal", "Utrecht", 1),
    ("Arnhem", "Gelderland", 2.2), ("Nijmegen", "Gelderland", 2.5), ("Apeldoorn", "Gelderland", 2.2),
    ("Ede", "Gelderland", 1.5), ("Doetinchem", "Gelderland", 1), ("Zutphen", "Gelderland", 0.8),
    ("Tiel", "Gelderland", 0.7), ("Harderwijk", "Gelderland", 0.8),
    ("Zwolle", "Overijssel", 2), ("Enschede", "Overijssel", 2.2), ("Deventer", "Overijssel", 1.5),
    ("Hengelo", "Overijssel", 1.2), ("Almelo", "Overijssel", 1),
    ("Groningen", "Groningen", 2.5), ("Stadskanaal", "Groningen", 0.7), ("Winschoten", "Groningen", 0.6),
    ("Delfzijl", "Groningen", 0.5),
    ("Leeuwarden", "Friesland", 1.5), ("Sneek", "Friesland", 0.8), ("Heerenveen", "Friesland", 0.8),
    ("Drachten", "Friesland", 0.8),
    ("Assen", "Drenthe", 1), ("Emmen", "Drenthe", 1.2), ("Meppel", "Drenthe", 0.6), ("Hoogeveen", "Drenthe", 0.8),
    ("Almere", "Flevoland", 2), ("Lelystad", "Flevoland", 1), ("Emmeloord", "Flevoland", 0.6),
    ("Middelburg", "Zeeland", 0.8), ("Vlissingen", "Zeeland", 0.7), ("Goes", "Zeeland", 0.8),
    ("Terneuzen", "Zeeland", 0.7),
    ("Eindhoven", "Noord-Brabant", 3), ("Tilburg", "Noord-Brabant", 2.8), ("Breda", "Noord-Brabant", 2.5),
    ("'s-Hertogenbosch", "Noord-Brabant", 2), ("Helmond", "Noord-Brabant", 1.2), ("Oss", "Noord-Brabant", 1.2),
    ("Roosendaal", "Noord-Brabant", 1), ("Bergen op Zoom", "Noord-Brabant", 0.9), ("Veghel", "Noord-Brabant", 0.7),
    ("Maastricht", "Limburg", 1.8), ("Heerlen", "Limburg", 1.5), ("Venlo", "Limburg", 1.5),
    ("Roermond", "Limburg", 1), ("Sittard", "Limburg", 1), ("Weert", "Limburg", 0.7), ("Kerkrade", "Limburg", 0.7),
]]
TOWN_BY_NAME = {t.name: t for t in TOWNS}
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def pick_town(rng: random.Random) -> Town:
    return rng.choices(TOWNS, weights=[t.weight for t in TOWNS])[0]


class CodeAllocator:
    """Unique BRIN-like codes (two digits, two letters) that no HO institution uses."""

    def __init__(self, seed: int):
        self.rng = random.Random(f"{seed}/institution_codes")
        self.taken = set(INSTITUTION_BY_CODE)

    def new(self) -> str:
        while True:
            code = f"{self.rng.randrange(100):02d}{self.rng.choice(LETTERS)}{self.rng.choice(LETTERS)}"
            if code not in self.taken:
                self.taken.add(code)
                return code


def unique_name(used: set[str], candidate: str, town: Town) -> str:
    """School names repeat across the country; a repeated one gets its town added
    so that the reference file stays readable."""
    name, k = candidate, 2
    if name in used:
        name = f"{candidate} {town.name}"
    while name in used:
        name, k = f"{candidate} {town.name} {k}", k + 1
    used.add(name)
    return name


def _inst(code: str, name: str, soort: str, town: Town, size: float = 1.0, **kw) -> Institution:
    return Institution(code, name, soort, town.provincie, "", town.upper, size, **kw)


@dataclass(frozen=True)
class Branch:
    """A vestiging of a vo or vmbo school."""

    number: str                       # "01" (vo) / "00" (vmbo)
    name: str
    town: Town
    share: float                      # part of the school's pupils
    origin: Institution | None = None  # school that merged into this one (see VO_MERGER_YEAR)


@dataclass(frozen=True)
class School:
    inst: Institution
    branches: tuple[Branch, ...]
    types: tuple[str, ...] = ()       # vo: HAVO and/or VWO
    size: float = 1.0                 # vo: relative size of the school


def make_branches(rng: random.Random, name: str, town: Town, numbers: tuple[str, str],
                  p_second: float) -> tuple[Branch, ...]:
    """One or two vestigingen; a second one is smaller and often in a nearby town."""
    if rng.random() >= p_second:
        return (Branch(numbers[0], name, town, 1.0),)
    main = rng.uniform(0.55, 0.75)
    town2 = town if rng.random() < 0.5 else pick_town(rng)
    suffix = f"locatie {town2.name}" if town2 != town else rng.choice(["Noord", "Zuid", "Oost", "West"])
    return (Branch(numbers[0], name, town, main), Branch(numbers[1], f"{name} {suffix}", town2, 1 - main))


MBO_INSTITUTION_SPECS = [
    # (name, town, relative size); the last ones are AOCs (agrarische opleidingscentra).
    ("ROC van Amsterdam", "Amsterdam", 3.2), ("ROC ASA", "Utrecht", 1.3), ("ROC Zadkine", "Rotterdam", 2.4),
    ("Albeda College", "Rotterdam", 2.2), ("ROC Mondriaan", "'s-Gravenhage", 2.2), ("ROC Leiden", "Leiden", 1.0),
    ("Da Vinci College", "Dordrecht", 1.1), ("ROC Midden Nederland", "Utrecht", 2.0),
    ("MBO Amersfoort", "Amersfoort", 0.9), ("ROC Nova College", "Haarlem", 1.3),
    ("ROC Kop van Noord-Holland", "Den Helder", 0.5), ("Horizon College", "Alkmaar", 1.0),
    ("ROC ID College", "Gouda", 0.8), ("ROC A12", "Ede", 1.0), ("ROC Rijn IJssel", "Arnhem", 1.3),
    ("ROC Nijmegen", "Nijmegen", 1.4), ("ROC Aventus", "Apeldoorn", 1.5),
    ("Graafschap College", "Doetinchem", 0.8),
    ("Deltion College", "Zwolle", 1.5), ("Landstede", "Zwolle", 1.0), ("ROC van Twente", "Hengelo", 1.9),
    ("Noorderpoort", "Groningen", 1.5), ("Alfa-college", "Groningen", 0.9), ("Drenthe College", "Assen", 0.9),
    ("ROC Friese Poort", "Leeuwarden", 1.0), ("Friesland College", "Leeuwarden", 1.0),
    ("ROC Flevoland", "Almere", 0.9), ("ROC Zeeland", "Vlissingen", 0.8), ("ROC West-Brabant", "Breda", 1.6),
    ("ROC Tilburg", "Tilburg", 1.4), ("Koning Willem I College", "'s-Hertogenbosch", 1.2),
    ("ROC Eindhoven", "Eindhoven", 1.7), ("Arcus College", "Heerlen", 1.0),
    ("Leeuwenborgh Opleidingen", "Maastricht", 0.9), ("Gilde Opleidingen", "Roermond", 1.0),
    ("AOC Oost", "Almelo", 0.6), ("AOC Terra", "Groningen", 0.5), ("Clusius College", "Alkmaar", 0.5),
    ("Wellantcollege", "Utrecht", 0.6), ("Helicon Opleidingen", "'s-Hertogenbosch", 0.5),
]
AOC_NAMES = {"AOC Oost", "AOC Terra", "Clusius College", "Wellantcollege", "Helicon Opleidingen"}

VO_EPONYMS = [
    "Comenius", "Erasmus", "Thorbecke", "Spinoza", "Huygens", "Vermeer", "Rembrandt", "Van Oldenbarnevelt",
    "Marnix", "Stanislas", "Montaigne", "Descartes", "Calvijn", "Augustinus", "Da Vinci", "Dalton",
    "Maerlant", "Vossius", "Linnaeus", "Revius", "Gomarus", "Menso Alting", "Greijdanus", "Etty Hillesum",
    "Sint-Ignatius", "Sint-Odulphus", "Bonaventura", "Groen van Prinsterer", "Johan de Witt",
    "Thomas à Kempis", "Wolfert van Borselen", "Het Baken", "De Breul", "Het Rhedens", "De Populier",
    "Twickel", "Reggesteyn", "Hondsrug", "Carmel", "Penta", "Piter Jelles", "Bogerman", "Canisius",
    "Coornhert", "Sint-Maartens", "Willem de Zwijger", "Jan van Egmond", "Van der Capellen", "Het Nieuwe",
    "Het Stedelijk", "Isendoorn", "Vechtdal", "Dr. Nassau", "Werkplaats", "Oosterlicht", "Pallas",
    "Minkema", "Bernardinus", "Emmaus", "Valuascollege", "Titus Brandsma", "Mgr. Frencken", "Ichthus",
    "Bisschop Möller", "Jac. P. Thijsse", "Christiaan Huygens", "Porta Mosana", "Sint-Michaël", "Bèta",
]
VO_KINDS = ["{} College", "{} Lyceum", "Scholengemeenschap {}", "{} Scholengemeenschap",
            "Christelijk Lyceum {}", "Katholieke Scholengemeenschap {}", "Openbare Scholengemeenschap {}"]
VMBO_EPONYMS = [
    "De Rietlanden", "Het Assink", "De Noordgouw", "Het Kwadrant", "De Lingeborgh", "Sint-Joris",
    "De Hogeberg", "Het Vlietland", "De Ring van Putten", "Het Mozaïek", "De Nieuwe Veste", "Het Element",
    "De Meergronden", "Were Di", "De Amstel", "Het Plein", "De Vonk", "Het Perron", "De Brug", "Het Atrium",
    "De Driestar", "Het Streek", "De Kring", "Het Lyceum", "De Waerdenborch", "Het Hooghuis", "De Wissel",
    "De Passage", "Het Venster", "De Rede", "Het Wellantcollege", "De Boog", "Het Baarnsch", "De Kempel",
]
VMBO_KINDS = ["{} College", "Vmbo {}", "Scholengemeenschap {}", "{} Vmbo", "Scholengroep {}",
              "Praktijkgericht Onderwijs {}", "Christelijk Vmbo {}"]
PO_NAMES = [
    "De Regenboog", "Het Kompas", "De Wegwijzer", "De Fontein", "'t Palet", "De Vlinder", "De Sterrenboom",
    "Sint Jozef", "De Klimop", "Het Mozaïek", "De Wilgen", "De Zonnewijzer", "Prins Willem-Alexander",
    "Koningin Beatrix", "De Springplank", "De Bron", "Het Anker", "De Ark", "De Triangel", "De Horizon",
    "De Tweemaster", "Sint Maarten", "De Linde", "Het Spectrum", "De Meander", "De Driesprong",
    "'t Startblok", "De Eendracht", "Willibrordus", "Titus Brandsma", "De Kameleon", "Het Octaaf",
    "De Vuurtoren", "De Molenwiek", "De Boomgaard", "De Piramide", "Het Kroonjuweel", "De Wereldwijzer",
    "De Notenkraker", "De Schakel", "Het Talent", "De Zevensprong", "De Esch", "Den Bongerd", "De Akker",
    "Sint Theresia", "De Vogelaar", "Het Avontuur", "De Klaverweide", "Juliana", "Oranje Nassau",
]
PO_KINDS = ["Basisschool {}", "OBS {}", "CBS {}", "RKBS {}", "PCBS {}", "Daltonschool {}",
            "Montessorischool {}", "Jenaplanschool {}", "Openbare Basisschool {}", "Christelijke Basisschool {}"]

N_VO_SCHOOLS = 360
N_VMBO_SCHOOLS = 250
# The one vo merger: the merged-away school is reported under its own code by the
# older delivery up to this year, and as vestiging 02 of the survivor from then on.
VO_MERGER_YEAR = 2004


@dataclass(frozen=True)
class Participation:
    code: str
    programma: str
    vanaf: int
    tot_en_met: int | None = None

    def active(self, year: int) -> bool:
        return self.vanaf <= year and (self.tot_en_met is None or year <= self.tot_en_met)


# Per programme the tranches: (vanaf, schools joining, {tot_en_met: how many of those leave}).
# A tot_en_met of 2007 still counts in 2007.  Participation in 2007 (table 1 of the
# source): VTB 1930, UNIVERSUM 120, JET-NET 147, VMBO-AMBITIE 110, MBO-AMBITIE 15.
# HBO-SPRINT and WO-SPRINT include every hogeschool/universiteit by 2006/2007: the
# audit committees judge all of them in 2006 and 2007 (raw/audits/).
PROGRAM_TRANCHES = {
    "VTB": [(2004, 520, {2005: 25, 2006: 60}), (2005, 560, {2006: 30, 2007: 40}), (2006, 500, {}),
            (2007, 465, {})],
    "UNIVERSUM": [(2004, 38, {2005: 2, 2006: 6}), (2005, 34, {2007: 3}), (2006, 30, {2006: 2}), (2007, 28, {})],
    "JET-NET": [(2004, 50, {2005: 4, 2006: 5}), (2005, 42, {2006: 3}), (2006, 34, {}), (2007, 33, {})],
    "VMBO-AMBITIE": [(2004, 35, {2005: 3, 2006: 4}), (2005, 30, {}), (2006, 28, {2006: 2}), (2007, 26, {})],
    "MBO-AMBITIE": [(2004, 6, {2005: 1}), (2005, 4, {}), (2006, 4, {}), (2007, 2, {})],
    "HBO-SPRINT": [(2004, 12, {2007: 1}), (2005, 3, {}), (2006, 1, {})],
    "WO-SPRINT": [(2004, 7, {}), (2005, 3, {2007: 1}), (2006, 2, {}), (2007, 1, {})],
}
UNIVERSUM_JETNET_OVERLAP = 30   # havo/vwo schools drawn for both programmes


@dataclass
class Registry:
    """Institutions of the non-HO sectors and who takes part in which programme."""

    po: list[Institution]
    vo: list[School]
    vmbo: list[School]
    mbo: list[Institution]
    vo_merged: Institution
    participation: list[Participation]

    def institutions(self) -> list[Institution]:
        return [*self.po, *(s.inst for s in self.vo), self.vo_merged,
                *(s.inst for s in self.vmbo), *self.mbo]

    def participants(self, programma: str, year: int) -> set[str]:
        return {p.code for p in self.participation if p.programma == programma and p.active(year)}


def build_mbo_institutions(codes: CodeAllocator) -> list[Institution]:
    return [_inst(codes.new(), name, "mbo", TOWN_BY_NAME[town], size)
            for name, town, size in MBO_INSTITUTION_SPECS]


def build_vo_schools(seed: int, codes: CodeAllocator) -> tuple[list[School], Institution]:
    """havo/vwo schools: gymnasia teach vwo only, a few schools havo only."""
    rng = random.Random(f"{seed}/vo_schools")
    used: set[str] = set()
    schools = []
    for _ in range(N_VO_SCHOOLS):
        town = pick_town(rng)
        r = rng.random()
        if r < 0.09:
            types = ("VWO",)
            name = rng.choice(["Stedelijk Gymnasium {}", "Gymnasium {}", "{} Gymnasium"]).format(
                town.name if rng.random() < 0.4 else rng.choice(VO_EPONYMS))
        else:
            types = ("HAVO",) if r < 0.12 else ("HAVO", "VWO")
            name = rng.choice(VO_KINDS).format(rng.choice(VO_EPONYMS))
        name = unique_name(used, name, town)
        inst = _inst(codes.new(), name, "vo", town)
        schools.append(School(inst, make_branches(rng, name, town, ("01", "02"), 0.2), types,
                              rng.lognormvariate(0, 0.3)))
    # The merger: a sizeable one-branch havo/vwo school absorbs a neighbour, which
    # lives on (under its own name) as vestiging 02 of the survivor.
    k = next(i for i in range(N_VO_SCHOOLS // 3, N_VO_SCHOOLS) if len(schools[i].branches) == 1
             and schools[i].types == ("HAVO", "VWO") and schools[i].size > 1.3)
    survivor = schools[k]
    town = survivor.branches[0].town
    old_name = unique_name(used, f"Scholengemeenschap {rng.choice(VO_EPONYMS)}", town)
    merged = _inst(codes.new(), old_name, "vo", town, opgegaan_in=survivor.inst.code, per_jaar=VO_MERGER_YEAR)
    schools[k] = School(survivor.inst, (Branch("01", survivor.inst.name, town, 0.6),
                                       Branch("02", old_name, town, 0.4, origin=merged)),
                        survivor.types, survivor.size)
    return schools, merged


def build_vmbo_schools(seed: int, codes: CodeAllocator) -> list[School]:
    rng = random.Random(f"{seed}/vmbo_schools")
    used: set[str] = set()
    schools = []
    for _ in range(N_VMBO_SCHOOLS):
        town = pick_town(rng)
        name = unique_name(used, rng.choice(VMBO_KINDS).format(rng.choice(VMBO_EPONYMS)), town)
        inst = _inst(codes.new(), name, "vmbo", town)
        schools.append(School(inst, make_branches(rng, name, town, ("00", "01"), 0.30)))
    return schools


def build_po_schools(seed: int, codes: CodeAllocator, n: int) -> list[Institution]:
    """Primary schools: they only occur as VTB participants (no DUO dataset)."""
    rng = random.Random(f"{seed}/po_schools")
    used: set[str] = set()
    out = []
    for _ in range(n):
        town = pick_town(rng)
        name = unique_name(used, rng.choice(PO_KINDS).format(rng.choice(PO_NAMES)), town)
        out.append(_inst(codes.new(), name, "po", town))
    return out


def tranche_slots(programma: str) -> list[tuple[int, int | None]]:
    slots = []
    for vanaf, joined, leavers in PROGRAM_TRANCHES[programma]:
        ends = [tot for tot, n in sorted(leavers.items()) for _ in range(n)]
        slots += [(vanaf, tot) for tot in ends + [None] * (joined - len(ends))]
    return slots


def assign_tranches(rng: random.Random, programma: str, codes: list[str],
                    keep: tuple[str, ...] = ()) -> list[Participation]:
    """Spread the participants over the tranches at random; a ``keep`` code gets a
    slot that joined in 2005 and never leaves (it takes part in 2005-2007)."""
    slots = tranche_slots(programma)
    assert len(codes) == len(slots), (programma, len(codes), len(slots))
    codes = list(codes)
    rng.shuffle(codes)
    stay = [i for i, s in enumerate(slots) if s == (2005, None)]
    for target, code in zip(stay, keep):
        j = codes.index(code)
        codes[j], codes[target] = codes[target], codes[j]
    return [Participation(c, programma, vanaf, tot) for c, (vanaf, tot) in zip(codes, slots)]


def build_participation(seed: int, po: list[Institution], vo: list[School], vmbo: list[School],
                        mbo: list[Institution], survivor: str) -> list[Participation]:
    rng = random.Random(f"{seed}/programs")
    vo_codes = sorted(s.inst.code for s in vo)
    n_uni, n_jet = len(tranche_slots("UNIVERSUM")), len(tranche_slots("JET-NET"))
    universum = [survivor] + rng.sample([c for c in vo_codes if c != survivor], n_uni - 1)
    # Jet-Net partly recruits among Universum schools: those take part in both.
    both = rng.sample(sorted(universum), UNIVERSUM_JETNET_OVERLAP)
    jetnet = both + rng.sample([c for c in vo_codes if c not in universum], n_jet - len(both))
    hbo = [i.code for i in HO_INSTITUTIONS if i.soort == "hbo" and not i.opgegaan_in]
    wo = [i.code for i in HO_INSTITUTIONS if i.soort == "wo"]
    out = []
    out += assign_tranches(rng, "VTB", [i.code for i in po])
    out += assign_tranches(rng, "UNIVERSUM", universum, keep=(survivor,))
    out += assign_tranches(rng, "JET-NET", jetnet)
    out += assign_tranches(rng, "VMBO-AMBITIE",
                           rng.sample(sorted(s.inst.code for s in vmbo), len(tranche_slots("VMBO-AMBITIE"))))
    out += assign_tranches(rng, "MBO-AMBITIE",
                           rng.sample(sorted(i.code for i in mbo), len(tranche_slots("MBO-AMBITIE"))))
    out += assign_tranches(rng, "HBO-SPRINT", rng.sample(hbo, len(tranche_slots("HBO-SPRINT"))))
    out += assign_tranches(rng, "WO-SPRINT", rng.sample(wo, len(tranche_slots("WO-SPRINT"))))
    return out


def build_registry(seed: int) -> Registry:
    codes = CodeAllocator(seed)   # one allocator, fixed order: codes are unique across sectors
    mbo = build_mbo_institutions(codes)
    vo, merged = build_vo_schools(seed, codes)
    vmbo = build_vmbo_schools(seed, codes)
    po = build_po_schools(seed, codes, len(tranche_slots("VTB")))
    participation = build_participation(seed, po, vo, vmbo, mbo, survivor=merged.opgegaan_in)
    return Registry(po, vo, vmbo, mbo, merged, participation)


def generate_programs(raw_dir: Path, registry: Registry) -> list[Path]:
    """One file per programme (current state): instellingscode;programma;vanaf;tot_en_met."""
    folder = raw_dir / "programs"
    clean_dataset_dir(folder)
    paths = []
    for programma in PROGRAM_TRANCHES:
        rows = sorted((p for p in registry.participation if p.programma == programma),
                      key=lambda p: (p.vanaf, p.code))
        path = folder / f"{programma.lower()}.csv"
        write_reference_csv(path, ["instellingscode", "programma", "vanaf", "tot_en_met"],
                            [[p.code, p.programma, str(p.vanaf), "" if p.tot_en_met is None else str(p.tot_en_met)]
                             for p in rows])
        paths.append(path)
    return paths


# =============================================================================
# Shared for the mbo/vo/vmbo datasets: calibration and deliveries
# =============================================================================

def calibrate(expected: dict, target: float) -> dict:
    """Integer counts proportional to ``expected`` whose mart value (masked cell =
    2.5) is ``target``.

    Many small cells (women in techniek) are masked and count 2.5 whatever their
    real value, so plain rounding overshoots by hundreds: search the scale factor
    (the value only grows with it), then put the small rest on the largest cell.
    """
    def value_at(f: float) -> float:
        return sum(masked_value(round(f * e)) for e in expected.values())

    lo, hi = 0.0, 2.0 * target / sum(expected.values())
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if value_at(mid) <= target else (lo, mid)
    counts = {k: round(lo * e) for k, e in expected.items()}
    value = sum(masked_value(n) for n in counts.values())
    largest = max(counts, key=lambda k: counts[k])
    counts[largest] += int(round_half_away(Decimal(str(target - value))))
    assert counts[largest] >= 5, (target, counts[largest])
    return counts


def gender_split(rng: random.Random, expected: float, female: float) -> dict[str, float]:
    """Jitter the share of women on the log-odds scale (small minorities stay plausible)."""
    share = 1 / (1 + math.exp(-(math.log(female / (1 - female)) + rng.gauss(0, 0.08))))
    return {"MAN": expected * (1 - share), "VROUW": expected * share}


def delivery_rows(truth: dict, vintage: Vintage, vintages: list[Vintage], rng: random.Random,
                  report=lambda key, year: key) -> dict:
    """{reported row: {(year, gender): count}} as one delivery reports it.

    Years this delivery does not win are restated (older figures); ``report`` maps a
    true row to the row the delivery files it under (e.g. a pre-merger code); rows
    without a single count are not published.
    """
    cells: dict = {}
    for key, counts in truth.items():
        for y in vintage.years:
            row = cells.setdefault(report(key, y), {})
            for g in GENDERS:
                n = counts.get((y, g), 0)
                if winning_vintage(vintages, y) != vintage:
                    n = restate(rng, n, provisional=(y == vintage.provisional_year))
                row[(y, g)] = row.get((y, g), 0) + n
    return {k: v for k, v in cells.items() if any(v.values())}


def summarize(path: Path, vintage: Vintage, rows: dict) -> dict:
    masked = sum(1 for c in rows.values() for n in c.values() if 0 < n < 5)
    return {"file": path, "layout": vintage.layout, "years": vintage.years, "rows": len(rows),
            "masked_cells": masked, "max_count": max(n for c in rows.values() for n in c.values())}


# =============================================================================
# mbo: first-years and graduates per ROC/AOC x kwalificatie x BOL/BBL
# =============================================================================

MBO_YEARS = tuple(range(2000, 2007))
MBO_SECTORS = ("TECHNIEK", "ZORG EN WELZIJN", "ECONOMIE", "LANDBOUW")
MBO_HEADER = ["BRIN NUMMER", "INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE",
              "KWALIFICATIE NAAM", "KWALIFICATIENIVEAU", "TYPE MBO"]


@dataclass(frozen=True)
class Kwalificatie:
    code: str
    name: str
    sector: str
    niveau: int
    popularity: float
    female: float
    bbl: float            # share of the BBL (work-based) route
    start: int = 2000     # first intake year


_MT, _MZ, _ME, _ML = MBO_SECTORS
MBO_KWALIFICATIES = [Kwalificatie(*k) for k in [
    ("10080", "Assistent Installatie- en Constructietechniek", _MT, 1, 0.6, 0.03, 0.15),
    ("10090", "Monteur Elektrotechnische Installaties", _MT, 2, 1.4, 0.02, 0.55),
    ("10091", "Eerste Monteur Elektrotechnische Installaties", _MT, 3, 0.9, 0.02, 0.5),
    ("10147", "Technicus Elektrotechnische Industriële Producten en Systemen", _MT, 4, 0.7, 0.04, 0.2),
    ("10111", "Monteur Werktuigkundige Installaties", _MT, 2, 1.0, 0.02, 0.55),
    ("10121", "Middenkaderfunctionaris Werktuigbouwkunde", _MT, 4, 0.6, 0.05, 0.2),
    ("10130", "Allround Constructiewerker", _MT, 3, 0.6, 0.01, 0.6),
    ("10200", "Autotechnicus", _MT, 2, 1.5, 0.03, 0.5),
    ("10201", "Eerste Autotechnicus", _MT, 3, 0.8, 0.03, 0.5),
    ("10210", "Technisch Specialist Personenauto's", _MT, 4, 0.3, 0.03, 0.3),
    ("10250", "Timmerman", _MT, 2, 1.2, 0.01, 0.6),
    ("10251", "Middenkaderfunctionaris Bouw", _MT, 4, 0.6, 0.10, 0.2),
    ("10300", "ICT-beheerder", _MT, 4, 1.2, 0.06, 0.1),
    # New qualification: empty cells before it starts.
    ("10310", "Medewerker ICT", _MT, 2, 0.8, 0.05, 0.2, 2003),
    ("10320", "Procesoperator B", _MT, 3, 0.5, 0.08, 0.5),
    ("10330", "Laboratoriumanalist", _MT, 4, 0.6, 0.48, 0.1),
    ("10392", "Verzorgende IG", _MZ, 3, 3.0, 0.92, 0.55),
    ("10393", "Helpende Zorg en Welzijn", _MZ, 2, 1.8, 0.94, 0.3),
    ("10394", "Verpleegkundige", _MZ, 4, 1.6, 0.88, 0.3),
    ("10395", "Pedagogisch Medewerker Kinderopvang", _MZ, 3, 1.5, 0.95, 0.2),
    ("10396", "Sociaal-Cultureel Werker", _MZ, 4, 0.9, 0.75, 0.1),
    ("10397", "Doktersassistent", _MZ, 4, 0.7, 0.97, 0.05),
    ("10398", "Arbeidsmarktgekwalificeerd Assistent", _MZ, 1, 0.8, 0.55, 0.05),
    ("10401", "Verkoper", _ME, 2, 1.2, 0.55, 0.4),
    ("10402", "Commercieel Medewerker Marketing", _ME, 4, 0.9, 0.5, 0.1),
    ("10403", "Secretaresse", _ME, 3, 0.8, 0.93, 0.1),
    ("10404", "Administratief Medewerker", _ME, 2, 1.0, 0.6, 0.2),
    ("10405", "Medewerker Financiële Administratie", _ME, 4, 0.8, 0.45, 0.2),
    ("10406", "Medewerker Logistiek", _ME, 2, 0.8, 0.15, 0.5),
    ("10407", "Kok", _ME, 2, 1.0, 0.30, 0.5),
    ("10408", "Zelfstandig Werkend Kok", _ME, 3, 0.6, 0.28, 0.5),
    ("10409", "Juridisch Medewerker", _ME, 4, 0.5, 0.75, 0.05),
    ("10410", "Assistent Verkoop/Retail", _ME, 1, 0.6, 0.5, 0.1),
    ("10500", "Medewerker Dierhouderij", _ML, 2, 1.0, 0.45, 0.3),
    ("10501", "Vakbekwaam Medewerker Groene Ruimte", _ML, 3, 0.8, 0.15, 0.4),
    ("10502", "Bedrijfsleider Dierhouderij", _ML, 4, 0.6, 0.40, 0.1),
    ("10503", "Medewerker Bloembinden", _ML, 2, 0.6, 0.80, 0.3),
    ("10504", "Assistent Plant", _ML, 1, 0.4, 0.25, 0.2),
    ("10505", "Vakbekwaam Hovenier", _ML, 3, 0.8, 0.10, 0.5),
    ("10506", "Medewerker Paardenhouderij", _ML, 2, 0.6, 0.85, 0.2),
    ("10507", "Vakbekwaam Medewerker Teelt", _ML, 3, 0.5, 0.20, 0.4),
]]

# Stitched totals per (dataset, sector), 2000..2006.  TECHNIEK graduates: 26000 ->
# 25480 = -2.0 % (source: "Mbo: uitstroom -2% in 2006 tov 2000"); first-years dip
# after 2001 and recover, +3.1 %.
MBO_TARGETS = {
    ("mbo_eerstejaars", _MT): (36000, 36400, 35700, 35100, 35500, 36200, 37100),
    ("mbo_eerstejaars", _MZ): _growing(34000, 0.025)[:7],
    ("mbo_eerstejaars", _ME): _growing(41000, 0.005)[:7],
    ("mbo_eerstejaars", _ML): _growing(7000, -0.01)[:7],
    ("mbo_gediplomeerden", _MT): (26000, 26250, 26400, 26150, 25800, 25450, 25480),
    ("mbo_gediplomeerden", _MZ): _growing(23000, 0.02)[:7],
    ("mbo_gediplomeerden", _ME): _growing(27000, 0.004)[:7],
    ("mbo_gediplomeerden", _ML): _growing(5000, -0.012)[:7],
}
MBO_EXPECTED = {("mbo_gediplomeerden", "uitstroom"): -2}
MBO_VINTAGES = {
    "mbo_eerstejaars": [
        Vintage("2005-03-14", "W", tuple(range(2000, 2005)), "eerstejaars_mbo"),
        Vintage("2007-03-12", "W", tuple(range(2002, 2007)), "eerstejaars_mbo"),
    ],
    # Diplomas of school year Y are known after its summer.
    "mbo_gediplomeerden": [
        Vintage("2005-11-14", "W", tuple(range(2000, 2005)), "gediplomeerden_mbo"),
        Vintage("2007-11-12", "W", tuple(range(2002, 2007)), "gediplomeerden_mbo"),
    ],
}


@dataclass(frozen=True)
class MboRow:
    inst: Institution
    kwal: Kwalificatie
    type: str             # BOL / BBL
    weight: float
    slope: float


def build_mbo_rows(seed: int, institutions: list[Institution]) -> list[MboRow]:
    """The offer: ROCs teach techniek, zorg en welzijn and economie; AOCs landbouw."""
    rng = random.Random(f"{seed}/mbo_rows")
    rows = []
    for inst in institutions:
        aoc = inst.name in AOC_NAMES
        for kwal in MBO_KWALIFICATIES:
            if aoc:
                offered = {_ML: 0.95, _ME: 0.15, _MT: 0.08, _MZ: 0.0}[kwal.sector]
            else:
                offered = {_ML: 0.06, _ME: 0.85, _MT: 0.80, _MZ: 0.85}[kwal.sector]
            if rng.random() >= offered:
                continue
            for typ, share in (("BOL", 1 - kwal.bbl), ("BBL", kwal.bbl)):
                if rng.random() < min(0.97, 0.35 + share):
                    rows.append(MboRow(inst, kwal, typ, inst.size * kwal.popularity * share
                                       * rng.lognormvariate(0, 0.35), rng.gauss(0, 0.02)))
    return rows


def build_mbo_truth(dataset: str, rows: list[MboRow], seed: int) -> dict:
    """Counts per row, (year, gender); every sector calibrated to MBO_TARGETS."""
    rng = random.Random(f"{seed}/{dataset}/truth")
    lag = 0 if dataset == "mbo_eerstejaars" else 2   # a new qualification graduates later
    expected: dict[int, dict[tuple[int, int, str], float]] = {y: {} for y in MBO_YEARS}
    for i, row in enumerate(rows):
        weight = row.weight * rng.lognormvariate(0, 0.12)
        for y in MBO_YEARS:
            first = row.kwal.start + lag if row.kwal.start > MBO_YEARS[0] else MBO_YEARS[0]
            e = weight * math.exp(row.slope * (y - 2000)) * (1 + rng.gauss(0, 0.04)) if y >= first else 0.0
            for g, v in gender_split(rng, e, row.kwal.female).items():
                expected[y][(i, row.kwal.sector, g)] = v
    truth: dict[int, dict] = {i: {} for i in range(len(rows))}
    for sector in MBO_SECTORS:
        for y, target in zip(MBO_YEARS, MBO_TARGETS[(dataset, sector)]):
            block = {(i, g): e for (i, s, g), e in expected[y].items() if s == sector}
            for (i, g), n in calibrate(block, target).items():
                truth[i][(y, g)] = n
    return truth


def generate_mbo_dataset(raw_dir: Path, dataset: str, rows: list[MboRow], seed: int) -> list[dict]:
    folder = raw_dir / "duo" / dataset
    clean_dataset_dir(folder)
    truth = build_mbo_truth(dataset, rows, seed)
    vintages = MBO_VINTAGES[dataset]
    summary = []
    for vintage in vintages:
        rng = random.Random(f"{seed}/{dataset}/{vintage.date}")
        cells = delivery_rows(truth, vintage, vintages, rng)
        out = []
        for i in sorted(cells, key=lambda i: (rows[i].inst.code, rows[i].kwal.code, rows[i].type)):
            r = rows[i]
            out.append(([r.inst.code, r.inst.name, r.inst.gemeentenaam, r.kwal.sector, r.kwal.code,
                         r.kwal.name, str(r.kwal.niveau), r.type], cells[i]))
        path = folder / vintage.filename
        write_wide_csv(path, MBO_HEADER, vintage.years, out)
        summary.append(summarize(path, vintage, cells))
    return summary


# =============================================================================
# vmbo: exam candidates per school x vestiging x leerweg x sector
# =============================================================================

VMBO_YEARS = tuple(range(2000, 2007))
LEERWEGEN = ("BB", "KB", "GL", "TL")
LEERWEG_FULL = {"BB": "basisberoepsgerichte leerweg", "KB": "kaderberoepsgerichte leerweg",
                "GL": "gemengde leerweg", "TL": "theoretische leerweg"}
VMBO_SECTORS = ("TECHNIEK", "ZORG EN WELZIJN", "ECONOMIE", "LANDBOUW")
VMBO_HEADER = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM",
               "LEERWEG VMBO", "VMBO SECTOR"]
VMBO_FEMALE = {"TECHNIEK": 0.07, "ZORG EN WELZIJN": 0.88, "ECONOMIE": 0.50, "LANDBOUW": 0.40}
# Stitched totals per (sector, beroepsgericht BB/KB/GL vs TL), 2000..2006.
# Techniek BB/KB/GL 9800 -> 8330 = -15.0 %; techniek TL 3100 -> 3255 = +5.0 %.
VMBO_TARGETS = {
    ("TECHNIEK", "BKG"): (9800, 9650, 9420, 9180, 8900, 8600, 8330),
    ("TECHNIEK", "TL"): (3100, 3120, 3150, 3170, 3200, 3230, 3255),
    ("ZORG EN WELZIJN", "BKG"): _growing(7000, 0.015)[:7],
    ("ZORG EN WELZIJN", "TL"): _growing(4000, 0.01)[:7],
    ("ECONOMIE", "BKG"): _growing(9000, 0.0)[:7],
    ("ECONOMIE", "TL"): _growing(9000, 0.005)[:7],
    ("LANDBOUW", "BKG"): _growing(2500, -0.01)[:7],
    ("LANDBOUW", "TL"): _growing(900, -0.01)[:7],
}
VMBO_EXPECTED = {"uitstroom": -15, "uitstroom_tl": 5}
# Exams of school year Y-(Y+1) are known in the autumn after it.
VMBO_VINTAGES = [
    Vintage("2005-09-19", "W", tuple(range(2000, 2005)), "examenkandidaten_vmbo"),
    Vintage("2007-09-17", "W", tuple(range(2002, 2007)), "examenkandidaten_vmbo"),
]


@dataclass(frozen=True)
class VmboRow:
    school: School
    branch: Branch
    leerweg: str
    sector: str
    weight: float
    slope: float


def build_vmbo_truth(schools: list[School], seed: int) -> tuple[list[VmboRow], dict]:
    """The offer per vestiging and the calibrated counts per row, (year, gender)."""
    rng = random.Random(f"{seed}/vmbo_examenkandidaten/truth")
    rows = []
    for school in schools:
        size = rng.lognormvariate(0, 0.45)
        green = rng.random() < 0.12            # "groen vmbo": landbouw is offered
        for branch in school.branches:
            beroeps = rng.random() < 0.85      # BB/KB offered at this vestiging
            gl, tl = rng.random() < 0.5, rng.random() < 0.85 or not beroeps
            for leerweg in LEERWEGEN:
                if (leerweg in ("BB", "KB") and not beroeps) or (leerweg == "GL" and not gl) \
                        or (leerweg == "TL" and not tl):
                    continue
                for sector in VMBO_SECTORS:
                    p = {"TECHNIEK": 0.75, "ZORG EN WELZIJN": 0.85, "ECONOMIE": 0.9, "LANDBOUW": 0.0}[sector]
                    if (sector == "LANDBOUW" and not green) or (sector != "LANDBOUW" and rng.random() >= p):
                        continue
                    rows.append(VmboRow(school, branch, leerweg, sector,
                                        size * branch.share * rng.lognormvariate(0, 0.3), rng.gauss(0, 0.02)))
    expected: dict[int, dict] = {y: {} for y in VMBO_YEARS}
    for i, row in enumerate(rows):
        for y in VMBO_YEARS:
            e = row.weight * math.exp(row.slope * (y - 2000)) * (1 + rng.gauss(0, 0.05))
            female = VMBO_FEMALE[row.sector] + (0.05 if row.leerweg == "TL" else 0)
            for g, v in gender_split(rng, e, female).items():
                expected[y][(i, g)] = v
    truth: dict[int, dict] = {i: {} for i in range(len(rows))}
    for (sector, kind), targets in VMBO_TARGETS.items():
        members = {i for i, r in enumerate(rows) if r.sector == sector and (r.leerweg == "TL") == (kind == "TL")}
        for y, target in zip(VMBO_YEARS, targets):
            block = {(i, g): e for (i, g), e in expected[y].items() if i in members}
            for (i, g), n in calibrate(block, target).items():
                truth[i][(y, g)] = n
    return rows, truth


def generate_vmbo_examenkandidaten(raw_dir: Path, registry: Registry, seed: int) -> list[dict]:
    dataset = "vmbo_examenkandidaten"
    folder = raw_dir / "duo" / dataset
    clean_dataset_dir(folder)
    rows, truth = build_vmbo_truth(registry.vmbo, seed)
    # The older delivery spells every leerweg out; the newer one uses the codes,
    # except for some schools whose rows still carry the full names.
    spell_rng = random.Random(f"{seed}/{dataset}/spelling")
    legacy = {s.inst.code for s in registry.vmbo if spell_rng.random() < 0.15}
    summary = []
    for vintage in VMBO_VINTAGES:
        rng = random.Random(f"{seed}/{dataset}/{vintage.date}")
        cells = delivery_rows(truth, vintage, VMBO_VINTAGES, rng)
        oldest = vintage == VMBO_VINTAGES[0]
        out = []
        order = {lw: k for k, lw in enumerate(LEERWEGEN)}
        for i in sorted(cells, key=lambda i: (rows[i].school.inst.code, rows[i].branch.number,
                                              order[rows[i].leerweg], VMBO_SECTORS.index(rows[i].sector))):
            r = rows[i]
            leerweg = LEERWEG_FULL[r.leerweg] if oldest or r.school.inst.code in legacy else r.leerweg
            out.append(([r.school.inst.code, r.branch.number, r.branch.name, r.branch.town.upper,
                         leerweg, r.sector], cells[i]))
        path = folder / vintage.filename
        write_wide_csv(path, VMBO_HEADER, vintage.years, out, year_columns=lambda y: tuple(
            f"EXAMENKANDIDATEN SCHOOLJAAR {y}-{y + 1} {g}" for g in GENDERS))
        summary.append(summarize(path, vintage, cells))
    return summary


# =============================================================================
# vo: havo/vwo leerjaar 4 per school x vestiging x profiel
# =============================================================================

VO_TYPES = ("HAVO", "VWO")
VO_PROFILES = ("NT", "NG", "NT/NG", "EM", "CM", "EM/CM")
N_PROFILES = ("NT", "NG", "NT/NG")
VO_HEADER = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING",
             "PROVINCIE VESTIGING", "ONDERWIJSTYPE VO", "LEERJAAR", "PROFIEL"]
# National share of leerjaar-4 pupils in an N-profile (before school effects),
# 2000..2007.  The vwo jump in 2007 is the source's ("gestegen van 50% naar 55%").
VO_N_SHARE = {
    ("VWO", "VROUW"): (0.300, 0.317, 0.334, 0.351, 0.369, 0.387, 0.405, 0.482),
    ("VWO", "MAN"): (0.470, 0.487, 0.505, 0.523, 0.541, 0.559, 0.578, 0.598),
    ("HAVO", "VROUW"): (0.165, 0.176, 0.188, 0.200, 0.213, 0.226, 0.240, 0.254),
    ("HAVO", "MAN"): (0.330, 0.341, 0.352, 0.364, 0.376, 0.388, 0.399, 0.410),
}
# Profile mix within the N-profiles and within the others, per (type, gender).
VO_PROFILE_MIX = {
    ("VWO", "VROUW"): {"NT": 0.15, "NG": 0.60, "NT/NG": 0.25, "EM": 0.50, "CM": 0.42, "EM/CM": 0.08},
    ("VWO", "MAN"): {"NT": 0.45, "NG": 0.22, "NT/NG": 0.33, "EM": 0.76, "CM": 0.18, "EM/CM": 0.06},
    ("HAVO", "VROUW"): {"NT": 0.14, "NG": 0.76, "NT/NG": 0.10, "EM": 0.48, "CM": 0.46, "EM/CM": 0.06},
    ("HAVO", "MAN"): {"NT": 0.55, "NG": 0.33, "NT/NG": 0.12, "EM": 0.80, "CM": 0.16, "EM/CM": 0.04},
}
VO_GIRLS = {"HAVO": 0.52, "VWO": 0.54}
VO_SIZE = {"HAVO": 150, "VWO": 115}       # median leerjaar-4 pupils of a school in 2000
# Extra log-odds of an N-profile by 2007 at Universum/Jet-Net schools (ramping up from 2004).
VO_PROGRAM_TREND = {"HAVO": 0.15, "VWO": 0.04}
# Extra log-odds for girls while their school takes part in Universum.  The source
# has the gap with all girls shrink from 3 points (2006) to 1 point (2007), when
# the vernieuwde tweede fase lifted N-profile choice everywhere.
VO_UNIVERSUM_GIRLS = {2004: 0.06, 2005: 0.12, 2006: 0.19, 2007: 0.06}
# Calibration (exact, checked by verify()):
VO_GROWTH = {"all": Decimal("1.56"), "programs": Decimal("1.59")}   # N-profiel 2007 / 2000
VO_SHARES = {   # vwo leerjaar 4, share with an N-profiel
    ("all", 2006): Decimal("0.500"), ("all", 2007): Decimal("0.550"),
    ("girls", 2006): Decimal("0.425"), ("girls", 2007): Decimal("0.500"),
    ("girls_universum", 2006): Decimal("0.455"), ("girls_universum", 2007): Decimal("0.510"),
}
VO_VINTAGES = [
    Vintage("2005-03-14", "W", tuple(range(2000, 2005)), "profielkeuze_vo"),
    Vintage("2008-03-17", "W", tuple(range(2003, 2008)), "profielkeuze_vo"),
]


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def build_vo_expected(registry: Registry, seed: int) -> dict[int, dict[tuple, float]]:
    """Model counts {year: {(brin, vestiging, type, profile, gender): float}}.

    Per school: a size per type, a share of girls, a growth rate and an N-profile
    propensity; Universum/Jet-Net schools gain N-profiles faster after 2004, and
    girls at Universum schools choose N more often while the school takes part.
    """
    rng = random.Random(f"{seed}/vo_profielkeuze/truth")
    group = registry.participants("UNIVERSUM", 2007) | registry.participants("JET-NET", 2007)
    universum = {y: registry.participants("UNIVERSUM", y) for y in YEARS}
    expected: dict[int, dict[tuple, float]] = {y: {} for y in YEARS}
    for school in registry.vo:
        code = school.inst.code
        effect = rng.gauss(0, 0.25)
        growth = rng.gauss(0.012, 0.01)
        for typ in school.types:
            gymnasium = 1.1 if school.types == ("VWO",) else 1.0
            size = VO_SIZE[typ] * school.size * rng.lognormvariate(0, 0.2) * gymnasium
            girls = min(0.7, max(0.35, rng.gauss(VO_GIRLS[typ], 0.03)))
            for branch in school.branches:
                mix = {g: {p: VO_PROFILE_MIX[(typ, g)][p] * rng.lognormvariate(0, 0.2) for p in VO_PROFILES}
                       for g in GENDERS}
                for g in GENDERS:
                    n_sum = sum(mix[g][p] for p in N_PROFILES)
                    o_sum = sum(mix[g][p] for p in VO_PROFILES if p not in N_PROFILES)
                    for y in YEARS:
                        t = y - 2000
                        part_g = girls if g == "VROUW" else 1 - girls
                        pupils = size * branch.share * part_g * math.exp(growth * t)
                        logit = _logit(VO_N_SHARE[(typ, g)][t]) + effect
                        if code in group:
                            logit += VO_PROGRAM_TREND[typ] * min(1.0, max(0.0, (y - 2003) / 4))
                        if g == "VROUW" and code in universum[y]:
                            logit += VO_UNIVERSUM_GIRLS[y]
                        p_n = 1 / (1 + math.exp(-logit))
                        for p in VO_PROFILES:
                            part = p_n * mix[g][p] / n_sum if p in N_PROFILES else (1 - p_n) * mix[g][p] / o_sum
                            expected[y][(code, branch.number, typ, p, g)] = \
                                pupils * part * (1 + rng.gauss(0, 0.03))
    return expected


def build_vo_truth(registry: Registry, seed: int) -> tuple[dict, dict]:
    """Counts per (brin, vestiging, type, profile) and (year, gender).

    Years 2000-2005 are the rounded model.  In 2006 and 2007 the vwo (and in 2007
    the havo) cells are re-scaled block by block so that the stitched figures hit
    the source exactly: the denominators stay the model's, the N-profile parts are
    set from the target shares and growth rates.  Returns (truth, calibration
    factors per block) - the factors stay close to 1 so the series stay smooth.
    """
    expected = build_vo_expected(registry, seed)
    counts = {y: {k: round(e) for k, e in cells.items()} for y, cells in expected.items()}
    group = registry.participants("UNIVERSUM", 2007) | registry.participants("JET-NET", 2007)
    factors = {}

    def total(y, pred) -> int:
        return round(sum(e for k, e in expected[y].items() if pred(k)))

    def scale(y, pred, n_target: Decimal, name: str) -> None:
        """Set the N-profile cells matching pred to n_target, the others to the rest."""
        d = total(y, pred)
        for is_n, target in ((True, n_target), (False, d - n_target)):
            block = {k: e for k, e in expected[y].items() if pred(k) and (k[3] in N_PROFILES) == is_n}
            factors[(y, name, is_n)] = float(target) / sum(block.values())
            counts[y].update(calibrate(block, float(target)))

    def n_model(y, pred) -> float:
        return sum(e for k, e in expected[y].items() if pred(k) and k[3] in N_PROFILES)

    def vwo(gender=None, schools=None, exclude=frozenset()):
        return lambda k: (k[2] == "VWO" and (gender is None or k[4] == gender)
                          and (schools is None or k[0] in schools) and k[0] not in exclude)

    for y in (2006, 2007):
        uni = registry.participants("UNIVERSUM", y)
        d_uni, d_girls, d_vwo = total(y, vwo("VROUW", uni)), total(y, vwo("VROUW")), total(y, vwo())
        n_uni = round_half_away(VO_SHARES[("girls_universum", y)] * d_uni)
        n_girls = round_half_away(VO_SHARES[("girls", y)] * d_girls)
        n_vwo = round_half_away(VO_SHARES[("all", y)] * d_vwo)
        scale(y, vwo("VROUW", uni), n_uni, "vwo girls universum")
        # The remaining girls and the boys are split over the program group like the model.
        parts = [("vwo girls other", vwo("VROUW", exclude=uni), n_girls - n_uni),
                 ("vwo boys", vwo("MAN"), n_vwo - n_girls)]
        for name, pred, n in parts:
            if y == 2006:
                scale(y, pred, n, name)
                continue
            in_g = lambda k, pred=pred: pred(k) and k[0] in group
            out_g = lambda k, pred=pred: pred(k) and k[0] not in group
            n_in = round_half_away(n * Decimal(n_model(y, in_g) / n_model(y, pred)))
            scale(y, in_g, n_in, name + " group")
            scale(y, out_g, n - n_in, name + " non-group")
    # havo 2007 takes up what the growth targets leave, inside and outside the group.
    # (Truth rows carry the surviving code; only deliveries file the merged school apart.)
    def n_value(y, pred) -> Decimal:
        return sum((Decimal(str(masked_value(n))) for k, n in counts[y].items()
                    if k[3] in N_PROFILES and pred(k)), Decimal(0))

    in_group = lambda k: k[0] in group
    n_all7 = round_half_away(VO_GROWTH["all"] * n_value(2000, lambda k: True))
    n_group7 = round_half_away(VO_GROWTH["programs"] * n_value(2000, in_group))
    vwo_group7 = n_value(2007, lambda k: k[2] == "VWO" and in_group(k))
    vwo_all7 = n_value(2007, lambda k: k[2] == "VWO")
    scale(2007, lambda k: k[2] == "HAVO" and in_group(k), n_group7 - vwo_group7, "havo group")
    scale(2007, lambda k: k[2] == "HAVO" and not in_group(k), n_all7 - n_group7 - (vwo_all7 - vwo_group7),
          "havo non-group")

    truth: dict[tuple, dict] = {}
    for y in YEARS:
        for (code, vest, typ, prof, g), n in counts[y].items():
            truth.setdefault((code, vest, typ, prof), {})[(y, g)] = n
    order = {p: k for k, p in enumerate(VO_PROFILES)}
    return dict(sorted(truth.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], order[kv[0][3]]))), factors


def generate_vo_profielkeuze(raw_dir: Path, registry: Registry, seed: int) -> list[dict]:
    dataset = "vo_profielkeuze"
    folder = raw_dir / "duo" / dataset
    clean_dataset_dir(folder)
    truth, factors = build_vo_truth(registry, seed)
    # Calibration may only nudge the model, or the 2005-2006-2007 series would jump.
    assert all(0.95 < f < 1.05 for f in factors.values()), \
        {k: round(f, 3) for k, f in factors.items() if not 0.95 < f < 1.05}
    branch_of = {(s.inst.code, b.number): (s.inst, b) for s in registry.vo for b in s.branches}
    merged = registry.vo_merged
    oldest = min(VO_VINTAGES, key=lambda v: v.date)

    def reporter(vintage: Vintage):
        def report(key, year):
            # The oldest delivery still files the merged school under its own code
            # (as its vestiging 01) for the years before the merger.
            branch = branch_of[key[:2]][1]
            if branch.origin is not None and vintage == oldest and year < branch.origin.per_jaar:
                return (branch.origin.code, "01") + key[2:]
            return key
        return report

    names = {(s.inst.code, b.number): (b.name, b.town) for s in registry.vo for b in s.branches}
    merged_branch = next(b for s in registry.vo for b in s.branches if b.origin is not None)
    names[(merged.code, "01")] = (merged.name, merged_branch.town)
    summary = []
    for vintage in VO_VINTAGES:
        rng = random.Random(f"{seed}/{dataset}/{vintage.date}")
        cells = delivery_rows(truth, vintage, VO_VINTAGES, rng, reporter(vintage))
        # VESTIGINGSNUMMER is "01" or BRIN-prefixed "12AB01" (the same vestiging): the
        # older delivery mostly writes the short form, the newer one mostly the long
        # one, and a few vestigingen mix both within one file.
        style_rng = random.Random(f"{seed}/{dataset}/{vintage.date}/vestiging")
        p_long = 0.15 if vintage == oldest else 0.65
        style = {}
        for key in sorted({k[:2] for k in cells}):
            style[key] = "mixed" if style_rng.random() < 0.05 else (
                "long" if style_rng.random() < p_long else "short")
        out = []
        order = {p: k for k, p in enumerate(VO_PROFILES)}
        for key in sorted(cells, key=lambda k: (k[0], k[1], k[2], order[k[3]])):
            code, vest, typ, prof = key
            s = style[(code, vest)]
            long_form = s == "long" or (s == "mixed" and style_rng.random() < 0.5)
            name, town = names[(code, vest)]
            out.append(([code, code + vest if long_form else vest, name, town.upper, town.provincie,
                         typ, "4", prof], cells[key]))
        path = folder / vintage.filename
        write_wide_csv(path, VO_HEADER, vintage.years, out)
        summary.append(summarize(path, vintage, cells))
    return summary


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


def verify_ho(raw_dir: Path, show_series: bool) -> None:
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
    print("all HO calibration targets met")


# --- mbo / vo / vmbo / programs: read back with the contract's definitions only ---

# Contract 6.2-6.4: the fixed columns of each wide layout, spelled exactly.
CONTRACT_FIXED = {
    "mbo": ["BRIN NUMMER", "INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE",
            "KWALIFICATIE NAAM", "KWALIFICATIENIVEAU", "TYPE MBO"],
    "vo_profielkeuze": ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING",
                        "PROVINCIE VESTIGING", "ONDERWIJSTYPE VO", "LEERJAAR", "PROFIEL"],
    "vmbo_examenkandidaten": ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM",
                              "LEERWEG VMBO", "VMBO SECTOR"],
}
_COUNT_COL = re.compile(r"^(?:EXAMENKANDIDATEN SCHOOLJAAR (\d{4})-(\d{4})|(\d{4})) (MAN|VROUW)$")
_LEERWEG = {"BB": "BB", "KB": "KB", "GL": "GL", "TL": "TL", "BASISBEROEPSGERICHTE LEERWEG": "BB",
            "KADERBEROEPSGERICHTE LEERWEG": "KB", "GEMENGDE LEERWEG": "GL", "THEORETISCHE LEERWEG": "TL"}
N_PROFIEL = {"NT", "NG", "NT/NG"}
PROGRAM_SOORT_CHECK = {"VTB": "po", "UNIVERSUM": "vo", "JET-NET": "vo", "VMBO-AMBITIE": "vmbo",
                       "MBO-AMBITIE": "mbo", "HBO-SPRINT": "hbo", "WO-SPRINT": "wo"}
PARTICIPATION_TARGETS = {"VTB": 1930, "UNIVERSUM": 120, "JET-NET": 147, "VMBO-AMBITIE": 110, "MBO-AMBITIE": 15}


def read_wide_delivery(path: Path, fixed: list[str]) -> tuple[set[int], list[dict]]:
    """One ``;``/cp1252 wide delivery as cells {<fixed column>: text, year, gender, value, masked, raw}."""
    data = path.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b""), f"{path}: not CRLF"
    lines = list(csv.reader(io.StringIO(data.decode("cp1252"), newline=""), delimiter=";"))
    header = lines[0]
    assert header[:len(fixed)] == fixed, f"{path}: header {header[:len(fixed)]}"
    count_cols = []
    for k, h in enumerate(header[len(fixed):], len(fixed)):
        m = _COUNT_COL.match(h)
        assert m, f"{path}: unexpected column {h!r}"
        if m.group(1):
            assert int(m.group(2)) == int(m.group(1)) + 1, h
        count_cols.append((k, int(m.group(1) or m.group(3)), m.group(4)))
    cells = []
    for rec in lines[1:]:
        if len(rec) < len(header) or not rec[0].strip():
            continue  # empty line / "Bron: DUO" footer
        assert re.fullmatch(r"[0-9A-Z]{4}", rec[0]), f"{path}: institution code {rec[0]!r}"
        row = dict(zip(fixed, (f.strip() for f in rec)))
        for k, y, g in count_cols:
            raw = rec[k].strip()
            assert re.fullmatch(r"\d{1,3}(\.\d{3})*|<5|", raw), f"{path}: count {raw!r}"
            masked = raw == "<5"
            value = 2.5 if masked else (0 if raw == "" else int(raw.replace(".", "")))
            assert raw == "" or masked or value >= 5, f"{path}: unmasked small count {raw!r}"
            cells.append({**row, "year": y, "gender": g, "value": value, "masked": masked, "raw": raw})
    return {y for _, y, _ in count_cols}, cells


def read_dataset(raw_dir: Path, dataset: str) -> dict:
    """All deliveries of a dataset and the stitched (winning) cells per year."""
    fixed = CONTRACT_FIXED["mbo" if dataset.startswith("mbo") else dataset]
    deliveries = {}
    for path in sorted((raw_dir / "duo" / dataset).glob("*.csv")):
        date = re.match(r"^(\d{4}-\d{2}-\d{2})_", path.name).group(1)
        deliveries[date] = read_wide_delivery(path, fixed)
    winning = {}
    for year in sorted(set().union(*(ys for ys, _ in deliveries.values()))):
        winner = max(d for d, (ys, _) in deliveries.items() if year in ys)
        winning[year] = [c for c in deliveries[winner][1] if c["year"] == year]
    return {"deliveries": deliveries, "winning": winning}


def series_of(winning: dict, pred) -> dict[int, Decimal]:
    return {y: sum((Decimal(str(c["value"])) for c in cells if pred(c)), Decimal(0))
            for y, cells in winning.items()}


def read_semicolon(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def share_pct(part: Decimal, total: Decimal) -> Decimal:
    return round_half_away(Decimal(100) * part / total, 1)


def compute_other_figures(raw_dir: Path) -> tuple[list, list[str], list[str], list, dict]:
    """(growth figures, notes, failures, vwo shares, participation counts) for the
    mbo/vmbo/vo datasets and the programmes."""
    figures, notes, failures = [], [], []
    institutions = {r["instellingscode"]: r for r in read_semicolon(raw_dir / "reference" / "institutions.csv")}
    survivor = {c: (r["opgegaan_in"] or c) for c, r in institutions.items()}
    participation = [r for p in sorted((raw_dir / "programs").glob("*.csv")) for r in read_semicolon(p)]

    def active(r, year):
        return int(r["vanaf"]) <= year and (r["tot_en_met"] == "" or year <= int(r["tot_en_met"]))

    def participants(programma, year):
        return {survivor[r["instellingscode"]] for r in participation
                if r["programma"] == programma and active(r, year)}

    def growth_row(label, series, year, target=None, tolerance=Decimal("0.3")):
        g = growth_pct(series, year)
        figures.append((label, series, year, f"{g:+}", "" if target is None else f"{target:+d}"))
        if any(series.get(y, 0) <= 0 for y in range(2000, year + 1)):
            failures.append(f"{label}: a year without pupils/students")
        steps = [series[y] / series[y - 1] for y in range(2001, year + 1)]
        if not all(Decimal("0.85") < s < Decimal("1.2") for s in steps):
            failures.append(f"{label}: series not smooth {[f'{s:.3f}' for s in steps]}")
        if target is not None and (round_half_away(g) != target or abs(g - target) > tolerance):
            failures.append(f"{label}: growth {g} is not {target} (±{tolerance})")
        return series

    data = {ds: read_dataset(raw_dir, ds) for ds in
            ("mbo_eerstejaars", "mbo_gediplomeerden", "vmbo_examenkandidaten", "vo_profielkeuze")}
    soort_of_dataset = {"mbo_eerstejaars": "mbo", "mbo_gediplomeerden": "mbo",
                        "vmbo_examenkandidaten": "vmbo", "vo_profielkeuze": "vo"}
    for ds, d in data.items():
        codes = {c["BRIN NUMMER"] for _, cells in d["deliveries"].values() for c in cells}
        wrong = sorted(c for c in codes if institutions.get(c, {}).get("soort") != soort_of_dataset[ds])
        if wrong:
            failures.append(f"{ds}: codes missing from institutions.csv or of another soort: {wrong[:5]}")
        for date, (_, cells) in d["deliveries"].items():
            if not any(c["masked"] for c in cells) or not any(c["raw"] == "" for c in cells):
                failures.append(f"{ds} {date}: no masked or no empty cell")
        if len(d["deliveries"]) < 2:
            failures.append(f"{ds}: fewer than two deliveries")

    # mbo: sector TECHNIEK, all niveaus and types.
    techniek = lambda c: c["MBO SECTOR"].upper() == "TECHNIEK"
    growth_row("mbo instroom (techniek)", series_of(data["mbo_eerstejaars"]["winning"], techniek), 2006)
    growth_row("mbo uitstroom (techniek)", series_of(data["mbo_gediplomeerden"]["winning"], techniek),
                         2006, MBO_EXPECTED[("mbo_gediplomeerden", "uitstroom")])
    # vmbo: sector TECHNIEK in BB/KB/GL, and in TL.
    vmbo = data["vmbo_examenkandidaten"]
    lw = lambda c: _LEERWEG[c["LEERWEG VMBO"].upper()]
    vm_tech = lambda c: c["VMBO SECTOR"].upper() == "TECHNIEK"
    growth_row("vmbo uitstroom (techniek BB/KB/GL)",
               series_of(vmbo["winning"], lambda c: vm_tech(c) and lw(c) in ("BB", "KB", "GL")), 2006,
               VMBO_EXPECTED["uitstroom"])
    growth_row("vmbo uitstroom_tl (techniek TL)",
               series_of(vmbo["winning"], lambda c: vm_tech(c) and lw(c) == "TL"), 2006,
               VMBO_EXPECTED["uitstroom_tl"])
    spellings = {c["LEERWEG VMBO"] for _, cells in vmbo["deliveries"].values() for c in cells}
    notes.append(f"vmbo LEERWEG VMBO spellings: {sorted(spellings)}")
    if not (spellings & {"BB", "KB", "GL", "TL"} and spellings & set(LEERWEG_FULL.values())):
        failures.append("vmbo: codes and full leerweg names do not both occur")

    # havo/vwo: leerjaar 4, N-profiel, both types.
    vo = data["vo_profielkeuze"]
    is_n = lambda c: c["PROFIEL"] in N_PROFIEL
    if {c["LEERJAAR"] for cells in vo["winning"].values() for c in cells} != {"4"} or \
            {c["PROFIEL"] for cells in vo["winning"].values() for c in cells} != N_PROFIEL | {"EM", "CM", "EM/CM"}:
        failures.append("vo: LEERJAAR must be 4 and all six profiles must occur")
    growth_row("havo_vwo instroom (N-profiel)", series_of(vo["winning"], is_n), 2007, 56)
    for typ in ("HAVO", "VWO"):
        growth_row(f"  {typ.lower()} only",
                   series_of(vo["winning"], lambda c: is_n(c) and c["ONDERWIJSTYPE VO"] == typ), 2007)
    group = participants("UNIVERSUM", 2007) | participants("JET-NET", 2007)
    growth_row(f"havo_vwo instroom, Universum/Jet-Net 2007 schools (n={len(group)})",
               series_of(vo["winning"], lambda c: is_n(c) and survivor[c["BRIN NUMMER"]] in group), 2007, 59)
    non_group = series_of(vo["winning"], lambda c: is_n(c) and survivor[c["BRIN NUMMER"]] not in group)
    growth_row("  other havo/vwo schools", non_group, 2007)

    shares = []
    for label, key, pred in (
            ("vwo N-profiel share, all pupils", "all", lambda c, y: True),
            ("vwo N-profiel share, girls", "girls", lambda c, y: c["gender"] == "VROUW"),
            ("vwo N-profiel share, girls at Universum schools", "girls_universum",
             lambda c, y: c["gender"] == "VROUW" and survivor[c["BRIN NUMMER"]] in participants("UNIVERSUM", y))):
        got = []
        for y in (2006, 2007):
            cells = [c for c in vo["winning"][y] if c["ONDERWIJSTYPE VO"] == "VWO" and pred(c, y)]
            total = sum((Decimal(str(c["value"])) for c in cells), Decimal(0))
            part = sum((Decimal(str(c["value"])) for c in cells if is_n(c)), Decimal(0))
            got.append(share_pct(part, total))
        want = [round_half_away(100 * VO_SHARES[(key, y)], 1) for y in (2006, 2007)]
        shares.append((label, got, want))
        if got != want:
            failures.append(f"{label}: {got} is not {want}")

    # Programmes: codes, soorten, counts, tranches.
    counts = {}
    for programma, soort in PROGRAM_SOORT_CHECK.items():
        rows = [r for r in participation if r["programma"] == programma]
        bad = sorted(r["instellingscode"] for r in rows
                     if institutions.get(r["instellingscode"], {}).get("soort") != soort)
        if bad or not rows:
            failures.append(f"{programma}: no rows, or codes not of soort {soort}: {bad[:5]}")
        counts[programma] = {y: len(participants(programma, y)) for y in (2004, 2005, 2006, 2007)}
        target = PARTICIPATION_TARGETS.get(programma)
        if target is not None and counts[programma][2007] != target:
            failures.append(f"{programma}: {counts[programma][2007]} participants in 2007, not {target}")
    if min(counts["HBO-SPRINT"][2006], counts["HBO-SPRINT"][2007]) < 14:
        failures.append("HBO-SPRINT: fewer than 14 hogescholen in 2006 or 2007")
    if any(r["instellingscode"] == "27UM" for r in participation):
        failures.append("merged-away 27UM takes part in a programme")
    both = sorted(participants("UNIVERSUM", 2007) & participants("JET-NET", 2007))
    late = sorted({r["instellingscode"] for r in participation
                   if int(r["vanaf"]) >= 2006 and r["programma"] in ("UNIVERSUM", "JET-NET")})
    left = sorted({r["instellingscode"] for r in participation if r["tot_en_met"]})
    if not both or not late or not left:
        failures.append("programmes: need a school in both Universum and Jet-Net, a late joiner and a leaver")

    # The vo merger: old code only in the older delivery, survivor in Universum.
    merged = sorted(c for c, r in institutions.items() if r["soort"] == "vo" and r["opgegaan_in"])
    dates = sorted(vo["deliveries"])
    in_delivery = {d: {c["BRIN NUMMER"] for c in vo["deliveries"][d][1]} for d in dates}
    for code in merged:
        surv = institutions[code]["opgegaan_in"]
        if not (code in in_delivery[dates[0]] and code not in in_delivery[dates[-1]]
                and surv in in_delivery[dates[-1]] and surv in participants("UNIVERSUM", 2007)):
            failures.append(f"vo merger {code} -> {surv} is not as intended")
    if not merged:
        failures.append("no vo merger in institutions.csv")
    # VESTIGINGSNUMMER: the same vestiging written differently between deliveries.
    spelled = {}
    for d in dates:
        for c in vo["deliveries"][d][1]:
            vest = c["VESTIGINGSNUMMER"]
            short = vest[4:] if vest.startswith(c["BRIN NUMMER"]) and len(vest) == 6 else vest
            spelled.setdefault((c["BRIN NUMMER"], short), {}).setdefault(d, set()).add(vest)
    varied = [k for k, by_date in spelled.items() if len(set().union(*by_date.values())) > 1]
    if not varied:
        failures.append("vo: no vestiging written both as 01 and BRIN01")

    mergers = [f"{c} -> {institutions[c]['opgegaan_in']} per {institutions[c]['per_jaar']}" for c in merged]
    notes.append(f"vo merger: {', '.join(mergers)}")
    notes.append(f"Universum/Jet-Net schools joining from 2006 on: {len(late)}, e.g. {late[:3]}")
    notes.append(f"Universum and Jet-Net in 2007: {len(both)} schools, e.g. {both[:3]}")
    notes.append(f"vestigingen spelled both ways: {len(varied)}, e.g. {sorted(varied)[:2]}")
    return figures, notes, failures, shares, counts


def verify_other(raw_dir: Path, show_series: bool) -> None:
    figures, notes, failures, shares, counts = compute_other_figures(raw_dir)
    print(f"\n{'figure':<58}{'2000':>10}{'year':>6}{'value':>10}{'growth':>9}{'target':>8}")
    for label, series, year, g, target in figures:
        print(f"{label:<58}{series[2000]:>10.1f}{year:>6}{series[year]:>10.1f}{g:>9}{target:>8}")
        if show_series:
            print("    " + "  ".join(f"{y}:{series[y]:.1f}" for y in sorted(series)))
    print(f"\n{'vwo leerjaar 4, share with an N-profiel (%)':<58}{'2006':>8}{'2007':>8}{'target':>14}")
    for label, got, want in shares:
        print(f"{label:<58}{got[0]:>8}{got[1]:>8}{f'{want[0]} / {want[1]}':>14}")
    print(f"\n{'participation (distinct institutions)':<40}" + "".join(f"{y:>7}" for y in (2004, 2005, 2006, 2007))
          + f"{'target':>8}")
    for programma, by_year in counts.items():
        target = PARTICIPATION_TARGETS.get(programma, "")
        print(f"{programma:<40}" + "".join(f"{by_year[y]:>7}" for y in (2004, 2005, 2006, 2007)) + f"{target:>8}")
    print()
    for note in notes:
        print(note)
    assert not failures, "calibration failed:\n  " + "\n  ".join(failures)
    print("all mbo/vmbo/vo/programme targets met")


def verify(raw_dir: Path, show_series: bool) -> None:
    verify_ho(raw_dir, show_series)
    verify_other(raw_dir, show_series)


def check_files(summary: list[dict]) -> None:
    """Cheap structural checks on what was written."""
    for s in summary:
        data = s["file"].read_bytes()
        assert s["masked_cells"] > 0, s
        if s["layout"] == "W":
            text = data.decode("cp1252")
            # vo/vmbo cells (one school, one profile) never reach 1000: no separator there.
            if s.get("max_count", 1000) >= 1000:
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

    registry = build_registry(args.seed)
    mbo_rows = build_mbo_rows(args.seed, registry.mbo)
    for dataset in ("mbo_eerstejaars", "mbo_gediplomeerden"):
        summary += generate_mbo_dataset(raw_dir, dataset, mbo_rows, args.seed)
    summary += generate_vo_profielkeuze(raw_dir, registry, args.seed)
    summary += generate_vmbo_examenkandidaten(raw_dir, registry, args.seed)
    program_files = generate_programs(raw_dir, registry)
    write_institutions(raw_dir, all_institutions(registry))
    check_files(summary)

    print(f"HO programme rows (institution x programme x vorm): {len(ho_rows)}; "
          f"institutions po/vo/vmbo/mbo: {len(registry.po)}/{len(registry.vo) + 1}/{len(registry.vmbo)}"
          f"/{len(registry.mbo)}; mbo rows: {len(mbo_rows)}")
    for s in summary:
        rel = s["file"].relative_to(raw_dir)
        print(f"  {str(rel):<63} {s['layout']}  {s['years'][0]}-{s['years'][-1]}"
              f"  rows={s['rows']:<4} masked cells={s['masked_cells']}")
    for path in program_files:
        print(f"  {str(path.relative_to(raw_dir)):<63} {len(path.read_text().splitlines()) - 1} rows")
    verify(raw_dir, args.series)


if __name__ == "__main__":
    main()
