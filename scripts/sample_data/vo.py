"""havo/vwo leerjaar 4 per school x vestiging x profiel (wide ``;`` layout).

The counts come from a model of profile choice per school (``build_vo_expected``), re-scaled in
2006 and 2007 so the stitched figures hit the source exactly (``build_vo_truth``).
"""
from __future__ import annotations

import math
import random
from decimal import Decimal
from pathlib import Path

from .calibration import VO_GROWTH, VO_SHARES, YEARS, calibrate, logit, masked_value, round_half_away
from .deliveries import Vintage, filed_under_old_code, oldest, write_deliveries
from .institutions import official_province
from .registry import Registry
from .writers import GENDERS, write_wide_csv

DATASET = "vo_profielkeuze"
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
VO_VINTAGES = [
    Vintage("2005-03-14", "W", tuple(range(2000, 2005)), "profielkeuze_vo"),
    Vintage("2008-03-17", "W", tuple(range(2003, 2008)), "profielkeuze_vo"),
]
PROFILE_ORDER = {p: k for k, p in enumerate(VO_PROFILES)}


def build_vo_expected(registry: Registry, seed: int) -> dict[int, dict[tuple, float]]:
    """Model counts {year: {(brin, vestiging, type, profile, gender): float}}.

    Per school: a size per type, a share of girls, a growth rate and an N-profile
    propensity; Universum/Jet-Net schools gain N-profiles faster after 2004, and
    girls at Universum schools choose N more often while the school takes part.
    """
    rng = random.Random(f"{seed}/{DATASET}/truth")
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
                        log_odds = logit(VO_N_SHARE[(typ, g)][t]) + effect
                        if code in group:
                            log_odds += VO_PROGRAM_TREND[typ] * min(1.0, max(0.0, (y - 2003) / 4))
                        if g == "VROUW" and code in universum[y]:
                            log_odds += VO_UNIVERSUM_GIRLS[y]
                        p_n = 1 / (1 + math.exp(-log_odds))
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
    return dict(sorted(truth.items(), key=lambda kv: row_order(kv[0]))), factors


def row_order(key: tuple) -> tuple:
    """(brin, vestiging, type, profile): profiles in DUO's order, N-profiles first."""
    code, vest, typ, prof = key
    return code, vest, typ, PROFILE_ORDER[prof]


def generate_vo_profielkeuze(raw_dir: Path, registry: Registry, seed: int) -> list[Path]:
    truth, factors = build_vo_truth(registry, seed)
    # Calibration may only nudge the model, or the 2005-2006-2007 series would jump.
    assert all(0.95 < f < 1.05 for f in factors.values()), \
        {k: round(f, 3) for k, f in factors.items() if not 0.95 < f < 1.05}
    branches = {(s.inst.code, b.number): b for s in registry.vo for b in s.branches}
    names = {key: (b.name, b.town) for key, b in branches.items()}
    merged = registry.vo_merged
    merged_branch = next(b for b in branches.values() if b.origin is not None)
    names[(merged.code, "01")] = (merged.name, merged_branch.town)

    def report(key, year, vintage):
        # The oldest delivery still files the merged school under its own code
        # (as its vestiging 01) for the years before the merger.
        origin = branches[key[:2]].origin
        if filed_under_old_code(origin, year, vintage, VO_VINTAGES):
            return (origin.code, "01") + key[2:]
        return key

    def write(path: Path, vintage: Vintage, cells: dict) -> None:
        # VESTIGINGSNUMMER is "01" or BRIN-prefixed "12AB01" (the same vestiging): the
        # older delivery mostly writes the short form, the newer one mostly the long
        # one, and a few vestigingen mix both within one file.
        style_rng = random.Random(f"{seed}/{DATASET}/{vintage.date}/vestiging")
        p_long = 0.15 if vintage == oldest(VO_VINTAGES) else 0.65
        style = {}
        for key in sorted({k[:2] for k in cells}):
            style[key] = "mixed" if style_rng.random() < 0.05 else (
                "long" if style_rng.random() < p_long else "short")
        # PROVINCIE VESTIGING: the older delivery spells `Friesland`, the newer one the official `Fryslân`.
        def provincie(town) -> str:
            return town.provincie if vintage == oldest(VO_VINTAGES) else official_province(town.provincie)

        out = []
        for key in sorted(cells, key=row_order):
            code, vest, typ, prof = key
            s = style[(code, vest)]
            long_form = s == "long" or (s == "mixed" and style_rng.random() < 0.5)
            name, town = names[(code, vest)]
            out.append(([code, code + vest if long_form else vest, name, town.upper, provincie(town),
                         typ, "4", prof], cells[key]))
        write_wide_csv(path, VO_HEADER, vintage.years, out)

    return write_deliveries(raw_dir, DATASET, VO_VINTAGES, truth, seed, write, report)
