"""Generic `duo/` layouts: wide (one count column per year x gender) and long (one row per
year x gender). A dataset declares its columns once (see `datasets.py`); this module turns a
decoded file into one row per count *cell* with its provenance (line, column header, raw text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.normalise import canonical_header
from pipelines.ingest.reader import DelimitedFile

# Columns every cell row carries, before the dataset's own dimension columns.
CELL_COLUMNS = ["line_number", "column_header", "raw_value", "year", "gender"]


@dataclass(frozen=True)
class WideLayout:
    """`;` layout with two count columns per year, e.g. `2003 MAN` or
    `EXAMENKANDIDATEN SCHOOLJAAR 2003-2004 MAN` (the year is the first, start year)."""

    name: str
    year_gender_pattern: str = r"^(?P<year>\d{4}) (?P<gender>MAN|VROUW)$"
    masked_token: str = "<5"
    # Counts: digits with an optional `.` thousands separator, the mask, or empty (= 0).
    count_pattern: str = r"^(?:\d{1,3}(?:\.\d{3})+|\d+|<5|)$"


@dataclass(frozen=True)
class LongLayout:
    """`,` layout with one row per year x gender and a single count column."""

    name: str
    year_headers: tuple[str, ...]
    gender_header: str = "GESLACHT"
    count_header: str = "AANTAL"
    masked_token: str = "-1"
    count_pattern: str = r"^(?:\d+|-1|)$"


@dataclass(frozen=True)
class DatasetSpec:
    """One `duo/<dataset>/` folder: its dimension columns and the layouts it may arrive in."""

    name: str
    family: str  # landing table family, e.g. "ho"
    measure: str  # instroom / uitstroom: what the dataset counts
    dimensions: dict[str, str]  # canonical header -> landing column
    optional_dimensions: dict[str, str] = field(default_factory=dict)
    wide: WideLayout | None = None
    long: LongLayout | None = None
    # The landing column that holds the institution code: rows without one are footers.
    institution_column: str = "instellingscode"

    @property
    def dimension_columns(self) -> list[str]:
        return list(dict.fromkeys([*self.dimensions.values(), *self.optional_dimensions.values()]))


def _index_header(spec: DatasetSpec, header: list[str], display: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = canonical_header(raw)
        if name in positions:
            raise RejectedFile(display, f"duplicate column {raw!r}", line=1, column=raw)
        positions[name] = i
    missing = [h for h in spec.dimensions if h not in positions]
    if missing:
        raise RejectedFile(
            display,
            f"header does not match dataset {spec.name}: missing column(s) {', '.join(missing)}",
            line=1,
        )
    return positions


_CODE = re.compile(r"[0-9A-Z]{4}")


def _has_institution_code(fields: list[str], institution_pos: int) -> bool:
    """Data lines carry an institution code; footers (`Bron: DUO`, `Totaal`) and blank lines do not."""
    return institution_pos < len(fields) and bool(_CODE.fullmatch(fields[institution_pos].strip().upper()))


_MISTYPED_CODE = re.compile(r"[0-9A-Za-z]{1,6}")


def _is_footer(fields: list[str], institution_pos: int, width: int) -> bool:
    """After the data: a line is a footer unless it is a full-width line whose code merely looks
    mistyped (`2ZT`): that one is a bad data line and is quarantined, not dropped."""
    code = fields[institution_pos].strip() if institution_pos < len(fields) else ""
    return (len(fields) != width or not _MISTYPED_CODE.fullmatch(code)
            or code.lower() in {"totaal", "total"})


def detect_layout(spec: DatasetSpec, parsed: DelimitedFile, display: str) -> WideLayout | LongLayout:
    if parsed.delimiter == "," and spec.long is not None:
        return spec.long
    if parsed.delimiter == ";" and spec.wide is not None:
        return spec.wide
    raise RejectedFile(display, f"no {spec.name} layout uses the {parsed.delimiter!r} delimiter", line=1)


def to_cells(spec: DatasetSpec, parsed: DelimitedFile, display: str
             ) -> tuple[pd.DataFrame, WideLayout | LongLayout, list[dict]]:
    """Return (cells, the detected layout, row problems). Cells hold text exactly as read, one per count."""
    layout = detect_layout(spec, parsed, display)
    positions = _index_header(spec, parsed.header, display)
    dims = {**spec.dimensions, **{h: c for h, c in spec.optional_dimensions.items() if h in positions}}
    institution_header = next(h for h, c in spec.dimensions.items() if c == spec.institution_column)
    inst_pos = positions[institution_header]
    width = len(parsed.header)
    problems: list[dict] = []

    if isinstance(layout, WideLayout):
        pattern = re.compile(layout.year_gender_pattern)
        count_cols = []
        for i, raw in enumerate(parsed.header):
            m = pattern.match(canonical_header(raw))
            if m:
                count_cols.append((i, raw.strip(), m.group("year"), m.group("gender")))
        if not count_cols:
            raise RejectedFile(display, f"header has no year count columns ({layout.year_gender_pattern})", line=1)
    else:
        year_header = next((h for h in layout.year_headers if h in positions), None)
        for needed in (year_header, layout.gender_header, layout.count_header):
            if needed is None or needed not in positions:
                raise RejectedFile(
                    display, f"header does not match dataset {spec.name}: missing column {needed or layout.year_headers}",
                    line=1)

    # Lines without an institution code are footers (`Bron: DUO`) only after the last data line;
    # inside the data such a line is a bad row and is quarantined, never silently dropped.
    last_data = max((i for i, (_, f) in enumerate(parsed.records) if _has_institution_code(f, inst_pos)), default=-1)
    rows: list[list] = []
    for i, (line, fields) in enumerate(parsed.records):
        if not any(f.strip() for f in fields) or (i > last_data and _is_footer(fields, inst_pos, width)):
            continue
        if not _has_institution_code(fields, inst_pos):
            value = fields[inst_pos].strip() if inst_pos < len(fields) else ""
            problems.append({"line_number": line, "column_header": institution_header, "raw_value": value,
                             "reason": "data line without a valid institution code"})
            continue
        if len(fields) != width:
            problems.append({"line_number": line, "column_header": None, "raw_value": None,
                             "reason": f"expected {width} fields, found {len(fields)}"})
            continue
        dim_values = [fields[positions[h]].strip() for h in dims]
        if isinstance(layout, WideLayout):
            for i, raw_header, year, gender in count_cols:
                rows.append([line, raw_header, fields[i].strip(), year, gender, *dim_values])
        else:
            rows.append([line, parsed.header[positions[layout.count_header]].strip().lstrip("\ufeff"),
                         fields[positions[layout.count_header]].strip(),
                         fields[positions[year_header]].strip(),
                         canonical_header(fields[positions[layout.gender_header]]), *dim_values])
    columns = CELL_COLUMNS + list(dims.values())
    cells = pd.DataFrame(rows, columns=columns, dtype="string")
    for missing in set(spec.dimension_columns) - set(dims.values()):
        cells[missing] = pd.Series(pd.NA, index=cells.index, dtype="string")
    return cells[CELL_COLUMNS + spec.dimension_columns], layout, problems


def parse_counts(raw: pd.Series, layout: WideLayout | LongLayout) -> tuple[pd.Series, pd.Series]:
    """Validated count text -> (count or <NA> when masked, is_masked). Empty means 0."""
    is_masked = raw == layout.masked_token
    digits = raw.str.replace(".", "", regex=False) if isinstance(layout, WideLayout) else raw
    digits = digits.mask(is_masked, None).replace("", "0")
    return pd.to_numeric(digits).astype("Int64"), is_masked.astype(bool)
