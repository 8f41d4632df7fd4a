"""The published marts: each one's gate (derived columns, quarantine queries, the columns it reads). The
grain, titles and column texts are declared in dbt_project/models/marts/_marts.yml, the Dutch footnotes
and symbols in pipelines/publishing/texts_nl.py.

One entry per mart; the Dagster gate and publish assets are built from this list
(assets/gates.py, assets/publish.py), so adding a mart = a dbt model + a suite file + an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from pipelines.dbt_settings import dbt_vars, mart_grains
from pipelines.quality import derived

MIN_PUBLISHABLE_COUNT = int(dbt_vars()["min_publishable_count"])

AUDIT_QUARANTINE = "select program, audit_year, n_quarantined from intermediate.int_audit_quarantine_by_round"
# Quarantined program rows (an institution unknown to reference/institutions.csv, issue 17): per program
# as a whole, or per program (ANY included) and sector.
PROGRAM_QUARANTINE = "select program, n_quarantined from intermediate.int_program_quarantine where sector is null"
PROGRAM_SECTOR_QUARANTINE = ("select program, sector, n_quarantined from intermediate.int_program_quarantine "
                             "where sector is not null")


@dataclass(frozen=True)
class MartSpec:
    name: str
    derive: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] = lambda mart, quarantined: mart
    # Quarantined input per figure, for the gate's `_quarantined_*` column.
    quarantine_query: str = "select sector, measure, year, n_quarantined from intermediate.int_quarantine_by_year"
    # Quarantined program rows per program (and sector), for `_quarantined_program_rows`; None: not program-based.
    program_quarantine_query: str | None = None
    # The mart's columns `derive` (and the program quarantine count) read, beside those its suite names:
    # the gate reads only these from the warehouse (gate_columns), not the whole mart.
    reads: tuple[str, ...] = ()
    # The figures a mart that splits them adds up to (sector, measure, year, total), for `_adds_up_to_total`.
    totals_query: str | None = None

    def checked(self, mart: pd.DataFrame, quarantined: pd.DataFrame,
                program_quarantined: pd.DataFrame | None = None, totals: pd.DataFrame | None = None) -> pd.DataFrame:
        """The mart with the derived `_` columns its gate checks."""
        frame = self.derive(mart, quarantined)
        if self.program_quarantine_query is not None:
            frame = derived.add_program_quarantine(frame, program_quarantined)
        if self.totals_query is not None:
            frame = derived.add_total_checks(frame, totals)
        return frame

    def gate_columns(self, columns: list[str]) -> list[str]:
        """Of the mart's columns (in its order), those its gate checks: the grain, every column the suite
        names and those `derive` reads. The rest (names, ranks, reasons, provenance) stay in the warehouse."""
        from pipelines.quality.gx_gate import suite_columns

        wanted = {*self.grain, *suite_columns(self.name), *self.reads}
        return [c for c in columns if c in wanted]

    @property
    def grain(self) -> list[str]:
        """One row per these columns (declared in models/marts/_marts.yml)."""
        return mart_grains()[self.name]

    @property
    def relation(self) -> str:
        return f"marts.{self.name}"


MARTS: dict[str, MartSpec] = {m.name: m for m in [
    MartSpec(
        name="sector_growth",
        derive=derived.add_sector_growth_checks,
        reads=derived.SECTOR_GROWTH_READS,
    ),
    MartSpec(
        name="program_growth",
        derive=derived.add_program_growth_checks,
        program_quarantine_query=PROGRAM_SECTOR_QUARANTINE,
        reads=(*derived.INDEX_READS, *derived.FIGURE_KEYS, *derived.PROGRAM_QUARANTINE_READS),
    ),
    MartSpec(
        name="gender_shares",
        derive=derived.add_gender_share_checks,
        program_quarantine_query=PROGRAM_SECTOR_QUARANTINE,
        reads=(*derived.GENDER_SHARE_READS, *derived.PROGRAM_QUARANTINE_READS),
    ),
    MartSpec(
        name="institution_growth",
        derive=partial(derived.add_institution_growth_checks, min_count=MIN_PUBLISHABLE_COUNT),
        reads=derived.INSTITUTION_GROWTH_READS,
    ),
    MartSpec(
        name="regional_growth",
        derive=partial(derived.add_regional_growth_checks, min_count=MIN_PUBLISHABLE_COUNT),
        reads=derived.REGIONAL_GROWTH_READS,
        # its provinces split sector_growth's figures (built in the same dbt run, before this gate)
        totals_query="select sector, measure, year, value as total from marts.sector_growth",
    ),
    MartSpec(
        name="audit_outcomes",
        derive=derived.add_audit_outcome_checks,
        quarantine_query=AUDIT_QUARANTINE,
        reads=derived.AUDIT_OUTCOME_READS,
    ),
    MartSpec(
        name="audit_judgements",
        derive=derived.add_audit_judgement_checks,
        quarantine_query=AUDIT_QUARANTINE,
        reads=derived.AUDIT_ROUND_KEYS,
    ),
    MartSpec(
        name="participation_counts",
        program_quarantine_query=PROGRAM_QUARANTINE,
        reads=derived.PROGRAM_QUARANTINE_READS,
    ),
]}
