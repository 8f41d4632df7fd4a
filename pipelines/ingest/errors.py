"""Errors and findings raised while reading raw files: each names file, line, column and reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RejectedFile(Exception):
    """A file that cannot be read as its dataset: rejected whole, nothing from it is used."""

    path: str
    reason: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.reason}"
