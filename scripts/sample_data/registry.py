"""The non-HO institutions and the programme participation, built once in a fixed order and
shared by the vo and vmbo datasets, the programme files and institutions.csv."""
from __future__ import annotations

from dataclasses import dataclass

from .institutions import Institution, School
from .programs import Participation, build_participation, tranche_slots
from .schools import CodeAllocator, build_mbo_institutions, build_po_schools, build_vmbo_schools, build_vo_schools


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


def build_registry(seed: int) -> Registry:
    codes = CodeAllocator(seed)   # one allocator, fixed order: codes are unique across sectors
    mbo = build_mbo_institutions(codes)
    vo, merged = build_vo_schools(seed, codes)
    vmbo = build_vmbo_schools(seed, codes)
    po = build_po_schools(seed, codes, len(tranche_slots("VTB")))
    participation = build_participation(seed, po, vo, vmbo, mbo, survivor=merged.opgegaan_in)
    return Registry(po, vo, vmbo, mbo, merged, participation)
