"""The non-HO institutions (po, vo, vmbo, mbo), invented but plausible: BRIN-like codes, names,
towns, one or two vestigingen, and the one vo merger.

They are built before any dataset because the vo counts depend on who takes part in which
programme (the Platform's program-group figures).  One code allocator in a fixed order keeps the
codes unique across sectors and the same on every run.
"""
from __future__ import annotations

import random

from .institutions import INSTITUTION_BY_CODE, TOWN_BY_NAME, Branch, Institution, School, Town, pick_town
from .names import (MBO_INSTITUTION_SPECS, PO_KINDS, PO_NAMES, VMBO_EPONYMS, VMBO_KINDS, VO_EPONYMS,
                    VO_KINDS)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"

N_VO_SCHOOLS = 360
N_VMBO_SCHOOLS = 250
# The one vo merger: the merged-away school is reported under its own code by the
# older delivery up to this year, and as vestiging 02 of the survivor from then on.
VO_MERGER_YEAR = 2004


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


def make_branches(rng: random.Random, name: str, town: Town, numbers: tuple[str, str],
                  p_second: float) -> tuple[Branch, ...]:
    """One or two vestigingen; a second one is smaller and often in a nearby town."""
    if rng.random() >= p_second:
        return (Branch(numbers[0], name, town, 1.0),)
    main = rng.uniform(0.55, 0.75)
    town2 = town if rng.random() < 0.5 else pick_town(rng)
    suffix = f"locatie {town2.name}" if town2 != town else rng.choice(["Noord", "Zuid", "Oost", "West"])
    return (Branch(numbers[0], name, town, main), Branch(numbers[1], f"{name} {suffix}", town2, 1 - main))


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


def invent_school(rng: random.Random, used: set[str], codes: CodeAllocator, soort: str,
                  kinds: list[str], words: list[str]) -> tuple[Institution, Town]:
    """A school in a town drawn by size, its name a kind ("OBS {}") filled with a word."""
    town = pick_town(rng)
    name = unique_name(used, rng.choice(kinds).format(rng.choice(words)), town)
    return _inst(codes.new(), name, soort, town), town


def build_vmbo_schools(seed: int, codes: CodeAllocator) -> list[School]:
    rng = random.Random(f"{seed}/vmbo_schools")
    used: set[str] = set()
    schools = []
    for _ in range(N_VMBO_SCHOOLS):
        inst, town = invent_school(rng, used, codes, "vmbo", VMBO_KINDS, VMBO_EPONYMS)
        schools.append(School(inst, make_branches(rng, inst.name, town, ("00", "01"), 0.30)))
    return schools


def build_po_schools(seed: int, codes: CodeAllocator, n: int) -> list[Institution]:
    """Primary schools: they only occur as VTB participants (no DUO dataset)."""
    rng = random.Random(f"{seed}/po_schools")
    used: set[str] = set()
    return [invent_school(rng, used, codes, "po", PO_KINDS, PO_NAMES)[0] for _ in range(n)]

