"""DUO releases: each covers about five years, overlaps the previous one and restates its years.

A dataset module builds the *true* (final) counts; this module turns them into what each
delivery says: the delivery that wins a year (the latest one containing it, the contract's
stitching rule) carries the true count, older ones a restated count.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .writers import GENDERS, clean_dataset_dir


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


def oldest(vintages: list[Vintage]) -> Vintage:
    return min(vintages, key=lambda v: v.date)


def newest(vintages: list[Vintage]) -> Vintage:
    return max(vintages, key=lambda v: v.date)


def winning_vintage(vintages: list[Vintage], year: int) -> Vintage:
    """The latest delivery that contains ``year`` (the contract's stitching rule)."""
    return newest([v for v in vintages if year in v.years])


def filed_under_old_code(origin, year: int, vintage: Vintage, vintages: list[Vintage]) -> bool:
    """Whether a delivery files a merged-away institution (``origin``) under its own code: the
    oldest delivery still does for the years before the merger, later ones restate those years
    under the survivor."""
    return origin is not None and vintage == oldest(vintages) and year < origin.per_jaar


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


def _same_row(key, year, vintage):
    return key


def delivery_rows(truth: dict, vintage: Vintage, vintages: list[Vintage], rng: random.Random,
                  report=_same_row) -> dict:
    """{reported row: {(year, gender): count}} as one delivery reports it.

    Years this delivery does not win are restated (older figures); ``report(key, year,
    vintage)`` maps a true row to the row the delivery files it under (e.g. a pre-merger
    code); rows without a single count are not published.
    """
    cells: dict = {}
    for key, counts in truth.items():
        for y in vintage.years:
            row = cells.setdefault(report(key, y, vintage), {})
            for g in GENDERS:
                n = counts.get((y, g), 0)
                if winning_vintage(vintages, y) != vintage:
                    n = restate(rng, n, provisional=(y == vintage.provisional_year))
                row[(y, g)] = row.get((y, g), 0) + n
    return {k: v for k, v in cells.items() if any(v.values())}


def write_deliveries(raw_dir: Path, dataset: str, vintages: list[Vintage], truth: dict, seed: int,
                     write: Callable[[Path, Vintage, dict], None], report=_same_row) -> list[Path]:
    """Write every delivery of a dataset to ``raw/duo/<dataset>/`` with ``write(path, vintage,
    rows)``; one random stream per delivery, so a change in one leaves the others alone."""
    folder = clean_dataset_dir(raw_dir / "duo" / dataset)
    paths = []
    for vintage in vintages:
        rng = random.Random(f"{seed}/{dataset}/{vintage.date}")
        path = folder / vintage.filename
        write(path, vintage, delivery_rows(truth, vintage, vintages, rng, report))
        paths.append(path)
    return paths
