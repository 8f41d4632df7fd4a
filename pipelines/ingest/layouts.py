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

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.normalise import canonical_header

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


@dataclass(frozen=True)
class MeltPlan:
    """How a delivery's records become cells, worked out from its header alone (Python); DuckDB melts
    the records by it (`pipelines/ingest/cells.py`). Positions are 0-based field indexes."""

    layout: Layout
    width: int  # fields of the header: a data line with another number of fields is a bad row
    institution_header: str
    institution_pos: int
    dims: dict[str, int]  # landing column -> position, in landing order
    counts: list[CountColumn]  # the count columns (wide) or the one count column (long), in file order
    companion_pos: dict[tuple, int]  # (kind, year, gender) -> position of a companion figure
    gender_pos: int | None  # the row's gender column (layout G, long layouts)
    year_pos: int | None = None  # long layouts: the year column

    @property
    def total_years(self) -> list[str]:
        """Years whose TOTAAL, MAN and VROUW count columns are all in the header (checked per row)."""
        layout = self.layout
        if not isinstance(layout, WideLayout) or not layout.total_gender:
            return []
        genders: dict[str, set] = {}
        for col in self.counts:
            genders.setdefault(col.year, set()).add(col.gender)
        return [y for y, g in genders.items() if {*GENDERS, layout.total_gender} <= g]


def melt_plan(spec: DatasetSpec, header: list[str], display: str) -> MeltPlan:
    """Detect the layout from the header and say where every landing column comes from; a header no
    layout of the dataset fits rejects the file (line 1)."""
    positions = _index_header(header, display)
    missing = [h for h in spec.dimensions if h not in positions]
    if missing:
        raise RejectedFile(display, f"header does not match dataset {spec.name}: missing column(s) {', '.join(missing)}",
                           line=1)
    layout = detect_layout(spec, header, positions)
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
    common = dict(layout=layout, width=len(header), institution_header=institution_header,
                  institution_pos=positions[institution_header], dims={c: positions[h] for h, c in dims.items()})
    if isinstance(layout, WideLayout):
        columns = _count_columns(layout, header)
        # companions sit beside the count of the same year and gender
        return MeltPlan(**common, counts=[c for c in columns if layout.count_kind is None or c.kind == layout.count_kind],
                        companion_pos={(c.kind, c.year, c.gender): c.position for c in columns
                                       if c.kind in layout.companions},
                        gender_pos=positions[layout.gender_header] if layout.gender_header else None)
    count_header = next(h for h in layout.count_headers if h in positions)
    count_pos = positions[count_header]
    count = CountColumn(count_pos, header[count_pos].strip().lstrip("\ufeff"), "", None, None)
    return MeltPlan(**common, counts=[count], companion_pos={}, gender_pos=positions.get(layout.gender_header),
                    year_pos=positions[next(h for h in layout.year_headers if h in positions)])
