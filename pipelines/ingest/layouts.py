"""Generic `duo/` layouts, detected per file from its header, and the melt into count *cells*.

A dataset declares its columns and the layouts it may arrive in once (see `datasets.py`); this
module decides which layout a file is in and turns it into one row per count cell with its
provenance (line, column header, raw text).

- WideLayout: one count column per year (and gender), e.g. `2003 MAN` (W), `MAN2015` (mbo M2),
  `2015` with the gender in a `GESLACHT` column (HO G), or `EXAMENKANDIDATEN SCHOOLJAAR 2019-2020 - MAN`
  (vo exam candidates, with GESLAAGDEN / SLAAGPERC companions).
- LongLayout: one row per year (x gender) with a single count column (HO L and DUO's API tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.normalise import canonical_header
from pipelines.ingest.reader import DelimitedFile

# Columns every cell row carries, before the dataset's own dimension columns. `check_reason` is set
# when a row-level check (e.g. TOTAAL = MAN + VROUW) fails for the cell; the cell is then quarantined.
CELL_COLUMNS = ["line_number", "column_header", "raw_value", "year", "gender", "check_reason"]

GENDERS = ("MAN", "VROUW")
# The gender of a TOTAAL count column (mbo M2, the exam files): the count of every total (contract
# 11.3), gender unknown included; MAN and VROUW cells of such a file count in gender figures only.
TOTAL_GENDER = "TOTAAL"


@dataclass(frozen=True)
class WideLayout:
    """One count column per year (x gender). `count_header` is a regex over the canonical header
    with groups `year` and (unless `gender_header` is set) `gender`; an optional group `kind`
    separates the count (`count_kind`) from companion figures landed beside it."""

    name: str
    count_header: str = r"^(?P<year>\d{4}) (?P<gender>MAN|VROUW)$"
    gender_header: str | None = None  # layout G: one row per gender, count columns are bare years
    total_gender: str | None = None  # `TOTAAL` columns: the count of totals; checked against MAN + VROUW
    count_kind: str | None = None  # with a `kind` group: which kind is the count
    companions: dict[str, str] = field(default_factory=dict)  # other kinds -> landing column
    required_headers: tuple[str, ...] = ()  # needed beyond the dataset's own dimensions
    masked_tokens: tuple[str, ...] = ("<5",)
    # Counts: digits with an optional `.` thousands separator, the mask, or empty (no data = 0).
    count_pattern: str = r"^(?:\d{1,3}(?:\.\d{3})+|\d+|<5|)$"
    thousands_separator: str | None = "."


@dataclass(frozen=True)
class LongLayout:
    """One row per year (x gender) and a single count column (HO L; DUO's API tables)."""

    name: str
    year_headers: tuple[str, ...]
    count_headers: tuple[str, ...] = ("AANTAL",)
    gender_header: str = "GESLACHT"  # optional in the file: without it cells have no gender
    required_headers: tuple[str, ...] = ()
    masked_tokens: tuple[str, ...] = ("-1", "<5")
    count_pattern: str = r"^(?:\d+|-1|<5|)$"
    thousands_separator: str | None = None


Layout = WideLayout | LongLayout


def declared_datasets() -> dict[str, dict]:
    """The DUO datasets as declared once, in dbt_project.yml (var duo_datasets): name -> family,
    measure, feeds, stitch_group, description."""
    return dbt_vars()["duo_datasets"]


@dataclass(frozen=True)
class DatasetSpec:
    """How one declared `duo/<dataset>/` folder is read: its dimension columns and the layouts it may
    arrive in. What the dataset is (family, measure, feeds, ...) comes from its declaration."""

    name: str
    dimensions: dict[str, str]  # canonical header -> landing column, required in every layout
    layouts: tuple[Layout, ...]
    optional_dimensions: dict[str, str] = field(default_factory=dict)
    # The landing column that holds the institution code: rows without one are footers.
    institution_column: str = "instellingscode"
    # Landing columns filled by the value normaliser, not read from a header.
    derived_columns: tuple[str, ...] = ()

    @property
    def declaration(self) -> dict:
        try:
            return declared_datasets()[self.name]
        except KeyError:
            raise KeyError(f"dataset {self.name!r} has a reader but is not declared in dbt_project.yml "
                           f"(var duo_datasets)") from None

    @property
    def family(self) -> str:
        """The landing table family (e.g. "ho"), read by the staging model stg_<family>_cells."""
        return self.declaration["family"]

    @property
    def measure(self) -> str:
        """instroom / uitstroom: what the dataset's cells count."""
        return self.declaration["measure"]

    @property
    def description(self) -> str:
        return self.declaration["description"]

    @property
    def feeds(self) -> tuple[tuple[str, str], ...]:
        """The published (sector, measure) series this dataset's cells can count in."""
        return tuple((sector, measure) for sector, measures in self.declaration["feeds"].items()
                     for measure in measures)

    @property
    def row_key(self) -> list[str]:
        """The landing columns that tell two lines of a delivery apart (dbt var duo_row_keys of the
        family; the staging model's row_key is built from the same list)."""
        return list(dbt_vars()["duo_row_keys"][self.family])

    @property
    def dimension_columns(self) -> list[str]:
        companions = [c for layout in self.layouts if isinstance(layout, WideLayout) for c in layout.companions.values()]
        return list(dict.fromkeys([*self.dimensions.values(), *self.optional_dimensions.values(),
                                   *companions, *self.derived_columns]))


def _index_header(header: list[str], display: str) -> dict[str, int]:
    positions: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = canonical_header(raw)
        if name in positions:
            raise RejectedFile(display, f"duplicate column {raw!r}", line=1, column=raw)
        positions[name] = i
    return positions


@dataclass(frozen=True)
class CountColumn:
    position: int
    header: str  # as written in the file (trimmed)
    year: str
    gender: str | None  # None: from the gender column (G)
    kind: str | None


def _count_columns(layout: WideLayout, header: list[str]) -> list[CountColumn]:
    pattern = re.compile(layout.count_header)
    found = []
    for i, raw in enumerate(header):
        m = pattern.match(canonical_header(raw))
        if m:
            groups = m.groupdict()
            found.append(CountColumn(i, raw.strip().lstrip("\ufeff"), groups["year"], groups.get("gender"),
                                     groups.get("kind")))
    return found


def _describe(layout: Layout) -> str:
    if isinstance(layout, LongLayout):
        return f"{layout.name}: a year column ({' / '.join(layout.year_headers)}) and a count column " \
               f"({' / '.join(layout.count_headers)})"
    extra = f" and a {layout.gender_header} column" if layout.gender_header else ""
    return f"{layout.name}: count columns like {layout.count_header}{extra}"


def detect_layout(spec: DatasetSpec, header: list[str], positions: dict[str, int]) -> Layout | None:
    """The layout whose count columns the header has (most matching count columns wins); None if
    no layout fits. `positions`: canonical header -> column index (`_index_header`)."""
    best: tuple[int, Layout] | None = None
    for layout in spec.layouts:  # required columns are checked after detection, to name the missing ones
        if isinstance(layout, LongLayout):
            if any(h in positions for h in layout.year_headers) and any(h in positions for h in layout.count_headers):
                return layout
            continue
        if layout.gender_header and layout.gender_header not in positions:
            continue
        n = len(_count_columns(layout, header))
        if n and (best is None or n > best[0]):
            best = (n, layout)
    return None if best is None else best[1]


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


def count_of(raw: str, layout: Layout) -> int | None:
    """An unmasked count as a number (empty = 0); None when masked or not a count."""
    text = raw.strip()
    if text in layout.masked_tokens or not re.fullmatch(layout.count_pattern, text):
        return None
    if layout.thousands_separator:
        text = text.replace(layout.thousands_separator, "")
    return int(text or 0)


def _low_bound(raw: str, layout: Layout) -> int | None:
    """The least a count cell can hold: its count, 1 when masked (real value 1-4), None when unreadable."""
    if raw.strip() in layout.masked_tokens:
        return 1
    return count_of(raw, layout)


def _total_problems(layout: WideLayout, columns: list[CountColumn], fields: list[str]) -> dict[str, str]:
    """TOTAAL is the count and includes unknown gender (contract 11.3), so TOTAAL >= MAN + VROUW. A row
    year fails when TOTAAL is smaller than the least MAN + VROUW can be (masked = 1), or when TOTAAL is
    masked (at most 4) next to MAN + VROUW of 5 or more. Returns {year: reason} for the years that fail."""
    by_year: dict[str, dict[str, CountColumn]] = {}
    for col in columns:
        if layout.count_kind is None or col.kind == layout.count_kind:
            by_year.setdefault(col.year, {})[col.gender or ""] = col
    problems = {}
    for year, cols in by_year.items():
        if not all(g in cols for g in (*GENDERS, layout.total_gender)):
            continue
        total_col = cols[layout.total_gender]
        parts = [_low_bound(fields[cols[g].position], layout) for g in GENDERS]
        total_raw = fields[total_col.position]
        if None in parts or _low_bound(total_raw, layout) is None:
            continue  # an unreadable cell is quarantined on its own
        least = sum(parts)
        total = count_of(total_raw, layout)
        any_masked = any(fields[cols[g].position].strip() in layout.masked_tokens for g in GENDERS)
        parts_text = f"{cols['MAN'].header} + {cols['VROUW'].header} = {'at least ' if any_masked else ''}{least}"
        if total is None and least >= 5:
            problems[year] = f"{total_col.header} is masked (1-4) but {parts_text}"
        elif total is not None and total < least:
            problems[year] = f"{total_col.header} is {total}, less than {parts_text}"
    return problems


def to_cells(spec: DatasetSpec, parsed: DelimitedFile, display: str) -> tuple[pd.DataFrame, Layout, list[dict]]:
    """Return (cells, the detected layout, row problems). Cells hold text exactly as read, one per count."""
    positions = _index_header(parsed.header, display)
    missing = [h for h in spec.dimensions if h not in positions]
    if missing:
        raise RejectedFile(display, f"header does not match dataset {spec.name}: missing column(s) {', '.join(missing)}",
                           line=1)
    layout = detect_layout(spec, parsed.header, positions)
    if layout is None:
        expected = "; ".join(_describe(candidate) for candidate in spec.layouts)
        raise RejectedFile(display, f"header has no year count columns of any {spec.name} layout (expected {expected})",
                           line=1)
    missing = [h for h in layout.required_headers if h not in positions]
    if missing:
        raise RejectedFile(display, f"header does not match dataset {spec.name} (layout {layout.name}): "
                                    f"missing column(s) {', '.join(missing)}", line=1)
    dims = {**spec.dimensions, **{h: c for h, c in spec.optional_dimensions.items() if h in positions}}
    institution_header = next(h for h, c in spec.dimensions.items() if c == spec.institution_column)
    inst_pos = positions[institution_header]
    width = len(parsed.header)
    problems: list[dict] = []

    if isinstance(layout, WideLayout):
        columns = _count_columns(layout, parsed.header)
        counted = [c for c in columns if layout.count_kind is None or c.kind == layout.count_kind]
        # companions sit beside the count of the same year and gender
        companion_pos = {(c.kind, c.year, c.gender): c.position for c in columns
                         if c.kind in layout.companions}
        gender_pos = positions[layout.gender_header] if layout.gender_header else None
    else:
        year_pos = positions[next(h for h in layout.year_headers if h in positions)]
        count_header = next(h for h in layout.count_headers if h in positions)
        count_pos = positions[count_header]
        gender_pos = positions.get(layout.gender_header)

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
            checks = _total_problems(layout, columns, fields) if layout.total_gender else {}
            row_gender = canonical_header(fields[gender_pos]) if gender_pos is not None else None
            for col in counted:
                gender = col.gender or row_gender
                extras = [fields[companion_pos[(kind, col.year, col.gender)]].strip()
                          if (kind, col.year, col.gender) in companion_pos else None for kind in layout.companions]
                rows.append([line, col.header, fields[col.position].strip(), col.year, gender,
                             checks.get(col.year), *dim_values, *extras])
        else:
            gender = canonical_header(fields[gender_pos]) if gender_pos is not None else None
            rows.append([line, parsed.header[count_pos].strip().lstrip("\ufeff"), fields[count_pos].strip(),
                         fields[year_pos].strip(), gender, None, *dim_values])
    companion_cols = list(layout.companions.values()) if isinstance(layout, WideLayout) else []
    columns_out = CELL_COLUMNS + list(dims.values()) + companion_cols
    cells = pd.DataFrame(rows, columns=columns_out, dtype="string")
    for missing_col in set(spec.dimension_columns) - set(columns_out):
        cells[missing_col] = pd.Series(pd.NA, index=cells.index, dtype="string")
    return cells[CELL_COLUMNS + spec.dimension_columns], layout, problems


def parse_counts(raw: pd.Series, layout: Layout) -> tuple[pd.Series, pd.Series]:
    """Validated count text -> (count or <NA> when masked, is_masked). Empty means 0."""
    is_masked = raw.isin(list(layout.masked_tokens))
    digits = raw.str.replace(layout.thousands_separator, "", regex=False) if layout.thousands_separator else raw
    digits = digits.mask(is_masked, None).replace("", "0")
    return pd.to_numeric(digits).astype("Int64"), is_masked.astype(bool)
