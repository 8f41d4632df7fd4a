"""The figures the sample must reproduce, and how integer counts are fitted to them.

Every target is a *stitched* value: what the pipeline sees after taking each year from the latest
delivery that contains it, with a masked cell (1-4) counting 2.5.  The growth figures of the
Programmaplan 2008 (``shared/reference/seed_figures.csv``) follow from these series; the
participation counts of table 1 follow from ``programs.PROGRAM_TRANCHES``.
"""
from __future__ import annotations

import math
import random
from decimal import ROUND_HALF_UP, Decimal

YEARS = tuple(range(2000, 2008))       # HO and havo/vwo; mbo and vmbo stop at 2006
SHORT_YEARS = YEARS[:-1]


def growing(base: float, rate: float) -> tuple[int, ...]:
    """A smooth series for the populations the source reports nothing about."""
    return tuple(round(base * (1 + rate) ** i) for i in range(len(YEARS)))


# HO: stitched value per (dataset, sector, group) for 2000..2007; group "inf" is informatica,
# "beta" the rest of bèta/techniek (see ho.target_group).  hbo informatica inflow peaks in
# 2000-2001 (ICT bubble) and then drops, which hides the growth of the rest of hbo
# bèta/techniek; its graduates peak ~4 years later.  Resulting growth 2007 vs 2000:
#   instroom  hbo 17000 -> 16320 (-4.0 %), wo 8800 -> 12056 (+37.0 %), ho +9.98 %
#   uitstroom hbo 12400 -> 11780 (-5.0 %), wo 5200 -> 7228 (+39.0 %), ho +8.0 %
#   hbo instroom excl. informatica 12000 -> 13420 (+11.8 %)
HO_TARGETS: dict[tuple[str, str, str], tuple[int, ...]] = {
    ("ho_eerstejaars", "hbo", "inf"): (5000, 5200, 4400, 3700, 3300, 3050, 2950, 2900),
    ("ho_eerstejaars", "hbo", "beta"): (12000, 12100, 12350, 12600, 12850, 13050, 13250, 13420),
    ("ho_eerstejaars", "hbo", "other"): growing(62000, 0.015),
    ("ho_eerstejaars", "wo", "inf"): (1100, 1150, 950, 850, 800, 820, 850, 900),
    ("ho_eerstejaars", "wo", "beta"): (7700, 7800, 8150, 8600, 9300, 9900, 10600, 11156),
    ("ho_eerstejaars", "wo", "other"): growing(24000, 0.03),
    ("ho_gediplomeerden", "hbo", "inf"): (2300, 2350, 2500, 2700, 2800, 2750, 2500, 2200),
    ("ho_gediplomeerden", "hbo", "beta"): (10100, 9950, 9800, 9650, 9550, 9500, 9520, 9580),
    ("ho_gediplomeerden", "hbo", "other"): growing(50000, 0.015),
    ("ho_gediplomeerden", "wo", "inf"): (500, 480, 470, 520, 600, 650, 700, 720),
    ("ho_gediplomeerden", "wo", "beta"): (4700, 4820, 5000, 5250, 5500, 5850, 6200, 6508),
    ("ho_gediplomeerden", "wo", "other"): growing(15000, 0.025),
}

# mbo: stitched totals per (dataset, MBO SECTOR), 2000..2006.  TECHNIEK graduates: 26000 ->
# 25480 = -2.0 % (source: "Mbo: uitstroom -2% in 2006 tov 2000"); first-years dip after 2001
# and recover, +3.1 %.
MBO_TARGETS = {
    ("mbo_eerstejaars", "TECHNIEK"): (36000, 36400, 35700, 35100, 35500, 36200, 37100),
    ("mbo_eerstejaars", "ZORG EN WELZIJN"): growing(34000, 0.025)[:7],
    ("mbo_eerstejaars", "ECONOMIE"): growing(41000, 0.005)[:7],
    ("mbo_eerstejaars", "LANDBOUW"): growing(7000, -0.01)[:7],
    ("mbo_gediplomeerden", "TECHNIEK"): (26000, 26250, 26400, 26150, 25800, 25450, 25480),
    ("mbo_gediplomeerden", "ZORG EN WELZIJN"): growing(23000, 0.02)[:7],
    ("mbo_gediplomeerden", "ECONOMIE"): growing(27000, 0.004)[:7],
    ("mbo_gediplomeerden", "LANDBOUW"): growing(5000, -0.012)[:7],
}

# vmbo: stitched totals per (VMBO SECTOR, beroepsgericht BB/KB/GL vs TL), 2000..2006.
# Techniek BB/KB/GL 9800 -> 8330 = -15.0 %; techniek TL 3100 -> 3255 = +5.0 %.
VMBO_TARGETS = {
    ("TECHNIEK", "BKG"): (9800, 9650, 9420, 9180, 8900, 8600, 8330),
    ("TECHNIEK", "TL"): (3100, 3120, 3150, 3170, 3200, 3230, 3255),
    ("ZORG EN WELZIJN", "BKG"): growing(7000, 0.015)[:7],
    ("ZORG EN WELZIJN", "TL"): growing(4000, 0.01)[:7],
    ("ECONOMIE", "BKG"): growing(9000, 0.0)[:7],
    ("ECONOMIE", "TL"): growing(9000, 0.005)[:7],
    ("LANDBOUW", "BKG"): growing(2500, -0.01)[:7],
    ("LANDBOUW", "TL"): growing(900, -0.01)[:7],
}

# havo/vwo leerjaar 4: N-profiel pupils 2007 / 2000, all schools and Universum/Jet-Net schools
# (+56 % / +59 %), and the vwo shares with an N-profiel (50 -> 55 %, girls 42.5 -> 50 %, girls at
# Universum schools 45.5 -> 51 %).  Hit exactly by vo.build_vo_truth.
VO_GROWTH = {"all": Decimal("1.56"), "programs": Decimal("1.59")}
VO_SHARES = {
    ("all", 2006): Decimal("0.500"), ("all", 2007): Decimal("0.550"),
    ("girls", 2006): Decimal("0.425"), ("girls", 2007): Decimal("0.500"),
    ("girls_universum", 2006): Decimal("0.455"), ("girls_universum", 2007): Decimal("0.510"),
}


def round_half_away(x: Decimal, places: int = 0) -> Decimal:
    """The source rounds half away from zero (Python's round() rounds half to even)."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def masked_value(count: int) -> float:
    """What a cell contributes to a mart figure (masked 1-4 counts 2.5)."""
    return 2.5 if 0 < count < 5 else float(count)


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def jittered_share(rng: random.Random, female: float) -> float:
    """Jitter a share of women on the log-odds scale, so small minorities (women in techniek,
    men in pabo) stay plausible."""
    return 1 / (1 + math.exp(-(logit(female) + rng.gauss(0, 0.08))))


def gender_split(rng: random.Random, expected: float, female: float) -> dict[str, float]:
    share = jittered_share(rng, female)
    return {"MAN": expected * (1 - share), "VROUW": expected * share}


def put_rest_on_largest(counts: dict, key, target: float, value: float) -> None:
    """Put what rounding (and masking's 2.5) leaves between ``value`` and ``target`` on the
    largest cell ``key``, where it does not show."""
    counts[key] += int(round_half_away(Decimal(str(target - value))))
    assert counts[key] >= 5, (target, key, counts[key])


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
    put_rest_on_largest(counts, max(counts, key=lambda k: counts[k]), target, value)
    return counts
