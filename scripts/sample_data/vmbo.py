"""vmbo exam candidates per school x vestiging x leerweg x sector (wide ``;`` layout)."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from .calibration import SHORT_YEARS, VMBO_TARGETS, calibrate, gender_split
from .deliveries import Vintage, oldest, write_deliveries
from .institutions import Branch, School
from .writers import GENDERS, write_wide_csv

DATASET = "vmbo_examenkandidaten"
LEERWEGEN = ("BB", "KB", "GL", "TL")
LEERWEG_FULL = {"BB": "basisberoepsgerichte leerweg", "KB": "kaderberoepsgerichte leerweg",
                "GL": "gemengde leerweg", "TL": "theoretische leerweg"}
VMBO_SECTORS = ("TECHNIEK", "ZORG EN WELZIJN", "ECONOMIE", "LANDBOUW")
VMBO_HEADER = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM",
               "LEERWEG VMBO", "VMBO SECTOR"]
# GEMEENTENAAM is the municipality of the vestiging when the file was delivered (Town.gemeente), as DUO
# wrote it: older names such as SNEEK or VEGHEL lead to today's municipality via reference/gemeenten.csv.
VMBO_FEMALE = {"TECHNIEK": 0.07, "ZORG EN WELZIJN": 0.88, "ECONOMIE": 0.50, "LANDBOUW": 0.40}
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
    rng = random.Random(f"{seed}/{DATASET}/truth")
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
    expected: dict[int, dict] = {y: {} for y in SHORT_YEARS}
    for i, row in enumerate(rows):
        for y in SHORT_YEARS:
            e = row.weight * math.exp(row.slope * (y - 2000)) * (1 + rng.gauss(0, 0.05))
            female = VMBO_FEMALE[row.sector] + (0.05 if row.leerweg == "TL" else 0)
            for g, v in gender_split(rng, e, female).items():
                expected[y][(i, g)] = v
    truth: dict[int, dict] = {i: {} for i in range(len(rows))}
    for (sector, kind), targets in VMBO_TARGETS.items():
        members = {i for i, r in enumerate(rows) if r.sector == sector and (r.leerweg == "TL") == (kind == "TL")}
        for y, target in zip(SHORT_YEARS, targets):
            block = {(i, g): e for (i, g), e in expected[y].items() if i in members}
            for (i, g), n in calibrate(block, target).items():
                truth[i][(y, g)] = n
    return rows, truth


def generate_vmbo_examenkandidaten(raw_dir: Path, schools: list[School], seed: int) -> list[Path]:
    rows, truth = build_vmbo_truth(schools, seed)
    # The older delivery spells every leerweg out; the newer one uses the codes,
    # except for some schools whose rows still carry the full names.
    spell_rng = random.Random(f"{seed}/{DATASET}/spelling")
    legacy = {s.inst.code for s in schools if spell_rng.random() < 0.15}
    order = {lw: k for k, lw in enumerate(LEERWEGEN)}

    def write(path: Path, vintage: Vintage, cells: dict) -> None:
        out = []
        for i in sorted(cells, key=lambda i: (rows[i].school.inst.code, rows[i].branch.number,
                                              order[rows[i].leerweg], VMBO_SECTORS.index(rows[i].sector))):
            r = rows[i]
            spelled_out = vintage == oldest(VMBO_VINTAGES) or r.school.inst.code in legacy
            out.append(([r.school.inst.code, r.branch.number, r.branch.name, r.branch.town.gemeente.upper(),
                         LEERWEG_FULL[r.leerweg] if spelled_out else r.leerweg, r.sector], cells[i]))
        write_wide_csv(path, VMBO_HEADER, vintage.years, out, year_columns=lambda y: tuple(
            f"EXAMENKANDIDATEN SCHOOLJAAR {y}-{y + 1} {g}" for g in GENDERS))

    return write_deliveries(raw_dir, DATASET, VMBO_VINTAGES, truth, seed, write)
