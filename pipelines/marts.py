"""The published marts: what each is, its footnotes, symbols and its gate's derived columns (the grain
is declared in dbt_project/models/marts/_marts.yml).

One entry per mart; the Dagster gate and publish assets are built from this list
(assets/gates.py, assets/publish.py), so adding a mart = a dbt model + a suite file + an entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import pandas as pd

from pipelines.dbt_settings import dbt_vars, mart_grains
from pipelines.quality import derived

MIN_PUBLISHABLE_COUNT = int(dbt_vars()["min_publishable_count"])

COMMON_FOOTNOTES = [
    "DUO masks counts 1-4. A masked cell counts 2.5 in value (1 in value_low, 4 in value_high); "
    "n_masked_cells says how many masked cells a figure contains.",
    "year is the calendar year in which the study/school year starts (2007 = 2007/2008; "
    "vmbo 'EXAMENKANDIDATEN SCHOOLJAAR 2006-2007' = 2006).",
    "Each year comes from the latest DUO delivery containing it; is_provisional marks figures from the "
    "newest, provisional (voorlopig) year of that delivery.",
    "Indexes and percentages are rounded once, to one decimal, half away from zero.",
]
POPULATIONS = (
    "Counted populations (bèta/techniek only): hbo/wo instroom and uitstroom in CROHO bèta/techniek "
    "programmes (reference/croho_classification.csv; codes missing there count when their onderdeel is "
    "natuur or techniek); mbo sector TECHNIEK; havo/vwo leerjaar 4 with an N-profiel (NT, NG, NT/NG); "
    "vmbo exam candidates in sector TECHNIEK (uitstroom: BB/KB/GL, uitstroom_tl: TL)."
)
PARTICIPATION = ("An institution takes part in a program in year Y when vanaf <= Y <= tot_en_met in "
                 "programs/*.csv; merged institutions are counted under their surviving code.")


AUDIT_QUARANTINE = "select program, audit_year, n_quarantined from intermediate.int_audit_quarantine_by_round"
# Quarantined program rows (an institution unknown to reference/institutions.csv, issue 17): per program
# as a whole, or per program (ANY included) and sector.
PROGRAM_QUARANTINE = "select program, n_quarantined from intermediate.int_program_quarantine where sector is null"
PROGRAM_SECTOR_QUARANTINE = ("select program, sector, n_quarantined from intermediate.int_program_quarantine "
                             "where sector is not null")


@dataclass(frozen=True)
class MartSpec:
    name: str
    title: str
    footnotes: list[str]
    derive: Callable[[pd.DataFrame, pd.DataFrame], pd.DataFrame] = lambda mart, quarantined: mart
    symbols: dict[str, str] = field(default_factory=lambda: {"empty cell": "not applicable"})
    # Quarantined input per figure, for the gate's `_quarantined_*` column.
    quarantine_query: str = "select sector, measure, year, n_quarantined from intermediate.int_quarantine_by_year"
    # Quarantined program rows per program (and sector), for `_quarantined_program_rows`; None: not program-based.
    program_quarantine_query: str | None = None
    # The mart's columns `derive` (and the program quarantine count) read, beside those its suite names:
    # the gate reads only these from the warehouse (gate_columns), not the whole mart.
    reads: tuple[str, ...] = ()

    def checked(self, mart: pd.DataFrame, quarantined: pd.DataFrame,
                program_quarantined: pd.DataFrame | None = None) -> pd.DataFrame:
        """The mart with the derived `_` columns its gate checks."""
        frame = self.derive(mart, quarantined)
        if self.program_quarantine_query is not None:
            frame = derived.add_program_quarantine(frame, program_quarantined)
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
        title="Bèta/techniek growth per sector (instroom and uitstroom vs 2000)",
        footnotes=[POPULATIONS, *COMMON_FOOTNOTES,
                   "index = 100 x value / baseline_value and growth_pct = index - 100.",
                   "_excl_informatica measures leave out informatica programmes, whose inflow is cyclical.",
                   "Targets: +15% vs 2000 (hbo/wo/ho instroom in 2007, uitstroom in 2010; other sectors 2010)."],
        derive=derived.add_sector_growth_checks,
        reads=derived.SECTOR_GROWTH_READS,
        symbols={"empty cell": "not applicable (no target for this measure)"},
    ),
    MartSpec(
        name="program_growth",
        title="Growth of program participants versus non-participants (like for like)",
        footnotes=[POPULATIONS, PARTICIPATION, *COMMON_FOOTNOTES,
                   "For year Y, the institutions taking part in Y (participants) and the other institutions of "
                   "the sector (non_participants); each group's value in Y is compared with the SAME "
                   "institutions' value in the baseline year. Only institutions with data in both years count.",
                   "program ANY = taking part in any Platform program of the sector (havo/vwo: UNIVERSUM or "
                   "JET-NET)."],
        derive=derived.add_program_growth_checks,
        program_quarantine_query=PROGRAM_SECTOR_QUARANTINE,
        reads=(*derived.INDEX_READS, *derived.FIGURE_KEYS, *derived.PROGRAM_QUARANTINE_READS),
    ),
    MartSpec(
        name="gender_shares",
        title="Share of women, and havo/vwo N-profiel choice by gender",
        footnotes=[POPULATIONS, PARTICIPATION, *COMMON_FOOTNOTES,
                   "share_women: share of VROUW among the counted population (all institutions).",
                   "share_n_profiel: havo/vwo leerjaar 4, pupils with an N-profiel among all pupils of that "
                   "gender (totaal = both), for all schools and for the schools taking part in a program in "
                   "that year.",
                   "Shares are computed from point estimates (masked cells count 2.5)."],
        derive=derived.add_gender_share_checks,
        program_quarantine_query=PROGRAM_SECTOR_QUARANTINE,
        reads=(*derived.GENDER_SHARE_READS, *derived.PROGRAM_QUARANTINE_READS),
        symbols={"empty cell": "not applicable (no population)"},
    ),
    MartSpec(
        name="institution_growth",
        title="Institution benchmark: bèta/techniek growth per institution, ranked within its sector",
        footnotes=[POPULATIONS, *COMMON_FOOTNOTES,
                   "Institutions that merged are reported under the surviving code for all years "
                   "(reference/institutions.csv opgegaan_in), so each series is like for like.",
                   f"Disclosure control: a figure resting on fewer than {MIN_PUBLISHABLE_COUNT} persons (in "
                   "the year or in the baseline year) is suppressed; a suppressed baseline suppresses the whole "
                   "series. Where a single figure of a sector/measure/year would be suppressed, the smallest "
                   "other figure is suppressed too (secondary suppression), so the published sector total "
                   "cannot reveal it. Suppressed figures are empty, with symbol c in `suppression`.",
                   "rank_in_sector: rank by index (highest growth first) among the published figures of the "
                   "sector, measure and year; n_ranked: how many were ranked."],
        derive=partial(derived.add_institution_growth_checks, min_count=MIN_PUBLISHABLE_COUNT),
        reads=derived.INSTITUTION_GROWTH_READS,
        symbols={"c": "confidential: suppressed by the disclosure control rule (see footnotes)",
                 "empty cell": "suppressed (see `suppression`) or not applicable"},
    ),
    MartSpec(
        name="audit_outcomes",
        title="Audit committee outcomes per program and audit round",
        footnotes=["From the audit committees' workbooks (audits/*.xlsx, sheet Oordelen); `twijfelachtig` "
                   "counts as twijfel. Institutions are counted under their surviving code after mergers.",
                   "n_twijfel_or_negatief is the figure the Platform reports (e.g. hogescholen judged doubtful "
                   "or negative)."],
        derive=derived.add_audit_outcome_checks,
        quarantine_query=AUDIT_QUARANTINE,
        reads=derived.AUDIT_OUTCOME_READS,
    ),
    MartSpec(
        name="audit_judgements",
        title="Audit judgements next to the institution's benchmark growth",
        footnotes=["Growth figures come from institution_growth for the audit year and keep its disclosure "
                   "control (suppression c).",
                   "The benchmark sector of a program is its widest sector (havo_vwo for UNIVERSUM and JET-NET)."],
        derive=derived.add_audit_judgement_checks,
        quarantine_query=AUDIT_QUARANTINE,
        reads=derived.AUDIT_ROUND_KEYS,
        symbols={"c": "confidential: the benchmark figure is suppressed (see institution_growth)",
                 "empty cell": "suppressed or no benchmark figure (see `note`)"},
    ),
    MartSpec(
        name="participation_counts",
        title="Institutions taking part per Platform program and year",
        footnotes=[PARTICIPATION, "n_joined: institutions whose participation starts (vanaf) that year."],
        program_quarantine_query=PROGRAM_QUARANTINE,
        reads=derived.PROGRAM_QUARANTINE_READS,
    ),
]}
