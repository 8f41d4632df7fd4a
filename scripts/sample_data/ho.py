"""HO first-years and graduates per institution x programme x opleidingsvorm, in both layouts:
legacy wide (``;``, cp1252) and the newer long one (``,``, UTF-8 with BOM)."""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path

from .calibration import HO_TARGETS, YEARS, jittered_share, masked_value, put_rest_on_largest
from .deliveries import Vintage, filed_under_old_code, newest, write_deliveries
from .ho_programmes import HO_OFFER, PROGRAMME_BY_KEY, VORM_LONG, VORM_SIZE, Programme, counts_as_beta, target_group
from .institutions import INSTITUTION_BY_CODE, Institution, official_province
from .writers import GENDERS, long_count, write_long_csv, write_wide_csv

DATASETS = ("ho_eerstejaars", "ho_gediplomeerden")
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
VORM_ORDER = {"VT": 0, "DT": 1, "DU": 2}
# Geography: the wide (older) files write DUO's older province spelling (`Friesland`), the long ones
# the official one in upper case (`FRYSLÂN`): one province spelled two ways across files. In the
# oldest first-years file these institutions' rows leave PROVINCIE empty; their GEMEENTENUMMER
# (reference/gemeenten.csv) tells the province.
NO_PROVINCE = {("ho_eerstejaars", "2005-03-15"): {"25BE", "21PH"}}


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

    def code(self, dataset: str) -> tuple[str, str]:
        """(opleidingscode, opleidingsnaam) under which the dataset reports this row."""
        return self.prog.code_for(dataset, self.sector)


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


def build_ho_truth(dataset: str, rows: list[HoRow], seed: int) -> dict[int, dict[tuple[int, str], int]]:
    """Final counts per row index, (year, gender), calibrated to HO_TARGETS.

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
                women = round(n * jittered_share(rng, rows[i].female))
                truth[i][(y, "MAN")] = n - women
                truth[i][(y, "VROUW")] = women
            value = sum(masked_value(truth[i][(y, g)]) for i in members for g in GENDERS)
            largest = max(members, key=lambda i: truth[i][(y, "MAN")])
            put_rest_on_largest(truth[largest], (y, "MAN"), target, value)
    return truth


def _fixed_wide(dataset: str, row: HoRow, inst: Institution, vintage: Vintage) -> list[str]:
    code, name = row.code(dataset)
    provincie = "" if inst.code in NO_PROVINCE.get((dataset, vintage.date), ()) else inst.provincie
    return [provincie, inst.gemeentenummer, inst.gemeentenaam, "reguliere inst.",
            row.sector, inst.code, inst.name, row.prog.onderdeel,
            f"n.v.t. ({row.prog.onderdeel})", code, name, VORM_LONG[row.vorm],
            OPLEIDINGSFASE[(dataset, row.sector)]]


def _fixed_long(dataset: str, row: HoRow, inst: Institution, soort_diploma: bool) -> list[str]:
    # Newer releases: upper case values, underscores instead of spaces.
    code, name = row.code(dataset)
    onderdeel = row.prog.onderdeel.upper()
    fixed = [official_province(inst.provincie).upper(), inst.gemeentenummer, inst.gemeentenaam,
             "REGULIERE INST.", row.sector.upper(), inst.code, inst.name,
             onderdeel.replace(" ", "_"), f"N.V.T. ({onderdeel})", code, name, row.vorm]
    if soort_diploma:
        fixed.append(OPLEIDINGSFASE[(dataset, row.sector)].upper())
    return fixed


def generate_ho_dataset(raw_dir: Path, dataset: str, rows: list[HoRow], seed: int) -> list[Path]:
    """Write all deliveries of one HO dataset."""
    vintages = HO_VINTAGES[dataset]

    def report(i, year, vintage):
        # A merged programme: (old or surviving institution code, row index).
        row = rows[i]
        inst = row.origin if filed_under_old_code(row.origin, year, vintage, vintages) else row.inst
        return inst.code, i

    def write(path: Path, vintage: Vintage, cells: dict) -> None:
        ordered = sorted(cells.items(), key=lambda kv: (
            rows[kv[0][1]].sector, kv[0][0], rows[kv[0][1]].code(dataset)[0], VORM_ORDER[rows[kv[0][1]].vorm]))
        if vintage.layout == "W":
            out = [(_fixed_wide(dataset, rows[i], INSTITUTION_BY_CODE[code], vintage), counts)
                   for (code, i), counts in ordered]
            write_wide_csv(path, W_FIXED_HEADER, vintage.years, out)
            return
        # Only the newest graduates release carries the SOORT_DIPLOMA column.
        soort_diploma = dataset == "ho_gediplomeerden" and vintage == newest(vintages)
        year_col = "STUDIEJAAR" if dataset == "ho_eerstejaars" else "DIPLOMAJAAR"
        header = [year_col, *L_HEADER, *(["SOORT_DIPLOMA"] if soort_diploma else []), "GESLACHT", "AANTAL"]
        fixed = {key: _fixed_long(dataset, rows[key[1]], INSTITUTION_BY_CODE[key[0]], soort_diploma)
                 for key, _ in ordered}
        # Like DUO's long files: no rows for zero counts.
        records = [[y, *fixed[key], g, long_count(counts[(y, g)])]
                   for y in vintage.years for key, counts in ordered for g in GENDERS if counts.get((y, g), 0)]
        write_long_csv(path, header, records)

    truth = build_ho_truth(dataset, rows, seed)
    return write_deliveries(raw_dir, dataset, vintages, truth, seed, write, report)
