"""Who takes part in which Platform programme: tranches of joiners and leavers per programme,
drawn at random from the institutions, and the programme files in ``raw/programs/``."""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from .institutions import HO_INSTITUTIONS, Institution, School
from .writers import clean_dataset_dir, write_reference_csv


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


def write_programs(raw_dir: Path, participation: list[Participation]) -> list[Path]:
    """One file per programme (current state): instellingscode;programma;vanaf;tot_en_met."""
    folder = clean_dataset_dir(raw_dir / "programs")
    paths = []
    for programma in PROGRAM_TRANCHES:
        rows = sorted((p for p in participation if p.programma == programma), key=lambda p: (p.vanaf, p.code))
        path = folder / f"{programma.lower()}.csv"
        write_reference_csv(path, ["instellingscode", "programma", "vanaf", "tot_en_met"],
                            [[p.code, p.programma, str(p.vanaf), "" if p.tot_en_met is None else str(p.tot_en_met)]
                             for p in rows])
        paths.append(path)
    return paths
