"""mbo first-years and graduates per ROC/AOC x kwalificatie x BOL/BBL (wide ``;`` layout)."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from .calibration import MBO_TARGETS, SHORT_YEARS, calibrate, gender_split
from .deliveries import Vintage, write_deliveries
from .institutions import Institution
from .names import AOC_NAMES
from .writers import write_wide_csv

DATASETS = ("mbo_eerstejaars", "mbo_gediplomeerden")
MBO_SECTORS = ("TECHNIEK", "ZORG EN WELZIJN", "ECONOMIE", "LANDBOUW")
MBO_HEADER = ["BRIN NUMMER", "INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE",
              "KWALIFICATIE NAAM", "KWALIFICATIENIVEAU", "TYPE MBO"]
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
    expected: dict[int, dict[tuple[int, int, str], float]] = {y: {} for y in SHORT_YEARS}
    for i, row in enumerate(rows):
        weight = row.weight * rng.lognormvariate(0, 0.12)
        for y in SHORT_YEARS:
            first = row.kwal.start + lag if row.kwal.start > SHORT_YEARS[0] else SHORT_YEARS[0]
            e = weight * math.exp(row.slope * (y - 2000)) * (1 + rng.gauss(0, 0.04)) if y >= first else 0.0
            for g, v in gender_split(rng, e, row.kwal.female).items():
                expected[y][(i, row.kwal.sector, g)] = v
    truth: dict[int, dict] = {i: {} for i in range(len(rows))}
    for sector in MBO_SECTORS:
        for y, target in zip(SHORT_YEARS, MBO_TARGETS[(dataset, sector)]):
            block = {(i, g): e for (i, s, g), e in expected[y].items() if s == sector}
            for (i, g), n in calibrate(block, target).items():
                truth[i][(y, g)] = n
    return truth


def generate_mbo_dataset(raw_dir: Path, dataset: str, rows: list[MboRow], seed: int) -> list[Path]:
    def write(path: Path, vintage: Vintage, cells: dict) -> None:
        out = []
        for i in sorted(cells, key=lambda i: (rows[i].inst.code, rows[i].kwal.code, rows[i].type)):
            r = rows[i]
            out.append(([r.inst.code, r.inst.name, r.inst.gemeentenaam, r.kwal.sector, r.kwal.code,
                         r.kwal.name, str(r.kwal.niveau), r.type], cells[i]))
        write_wide_csv(path, MBO_HEADER, vintage.years, out)

    truth = build_mbo_truth(dataset, rows, seed)
    return write_deliveries(raw_dir, dataset, MBO_VINTAGES[dataset], truth, seed, write)
