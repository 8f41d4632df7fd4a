"""The trace's result (`Trace`), its error and the marts it traces."""

from __future__ import annotations

from dataclasses import dataclass, field

# The marts whose figures int_figure_members lists: the trace and the figure revision check
# (pipelines/quality/figure_revisions.py) work on these.
TRACEABLE = ("sector_growth", "institution_growth", "program_growth", "gender_shares", "regional_growth")


class TraceError(Exception):
    """The figure cannot be traced or proved; the message says why."""


@dataclass
class Trace:
    mart: str
    keys: dict
    column: str
    published_value: str
    publication: dict
    steps: list[dict] = field(default_factory=list)
    inputs: list[dict] = field(default_factory=list)
    superseded: list[dict] = field(default_factory=list)
    members: dict = field(default_factory=dict)
    cells: list[dict] = field(default_factory=list)
    recomputed: dict = field(default_factory=dict)
    mismatches: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    not_counted: list[dict] = field(default_factory=list)  # rows of the population left out by type
    withdrawn: list[dict] = field(default_factory=list)  # deliveries taken out of use (`betamonitor withdraw`)

    @property
    def matches(self) -> bool:
        return not self.mismatches and not self.problems

    def to_json(self) -> dict:
        return {"mart": self.mart, "keys": self.keys, "column": self.column,
                "published_value": self.published_value, "publication": self.publication,
                "computation": self.steps, "inputs": self.inputs, "superseded_deliveries": self.superseded,
                "members": self.members, "raw_cells": self.cells, "recomputed": self.recomputed,
                "not_counted_by_type": self.not_counted,
                "matches_published_value": self.matches, "mismatches": self.mismatches,
                "problems": self.problems, "withdrawn_deliveries": self.withdrawn}
