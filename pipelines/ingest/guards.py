"""Guards against bad or hostile raw files, applied while reading (issue #10).

Each guard either raises `RejectedFile` (the file is not used and not registered) or returns
quarantine reasons per cell, always naming the file, line and column. The limits come from one
declaration: the `vars` of `dbt_project/dbt_project.yml` (`max_cell_count`, `max_delivery_bytes`,
`max_delivery_growth`, `delivery_growth_floor_bytes`), shared with SQL.

- `check_regular_file`: only regular files inside the raw directory are read; symbolic links,
  devices, sockets and FIFOs are reported (without opening them) and skipped.
- `check_delivery_size` (issue 17, bounded input): a new delivery larger than `max_delivery_bytes`, or
  above `delivery_growth_floor_bytes` and more than `max_delivery_growth` times the largest earlier
  delivery of its dataset, is rejected from its size alone, before a byte of it is read (a 200 MB file
  of one repeated line once took the ingest past 8 GB of memory).
- `check_delivery_date`: a delivery dated after today is rejected (it would outrank every real
  later delivery and publish "as of" a future date).
- `explain_encoding`: a file rejected as binary is named by its real encoding (UTF-16/UTF-32).
- `check_wide_header`: every column in a count position must be a declared year/gender column;
  each year needs both genders exactly once.
- `check_has_data`: a header-only file is rejected, not registered with 0 cells.

Two guards are SQL predicates over a delivery's cells (`pipelines/ingest/cells.py`): implausible
counts (above `max_cell_count`, quarantined: counts that large could otherwise overflow the warehouse
types) and repeated rows (two lines that give the same cell, row key + year + gender, the row key
declared once in dbt var `duo_row_keys`: both quarantined, naming each other's line, an exact copy
named as such).
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipelines.dbt_settings import dbt_vars
from pipelines.ingest.errors import RejectedFile
from pipelines.ingest.normalise import canonical_header

_YEARISH = re.compile(r"(?<!\d)(19|20)\d\d(?!\d)")


def max_cell_count() -> int:
    """The declared plausible maximum of one DUO count cell (dbt var `max_cell_count`)."""
    return int(dbt_vars()["max_cell_count"])


@dataclass(frozen=True)
class DeliverySizeLimits:
    """The declared bounds on one DUO delivery's size (dbt vars, see `delivery_size_limits`)."""

    max_bytes: int        # max_delivery_bytes
    max_growth: float     # max_delivery_growth: times the largest earlier delivery of the dataset
    growth_floor: int     # delivery_growth_floor_bytes: at or below this size the growth rule never applies


def delivery_size_limits() -> DeliverySizeLimits:
    """The size limits of a DUO delivery, declared once in the dbt project's vars."""
    v = dbt_vars()
    return DeliverySizeLimits(max_bytes=int(v["max_delivery_bytes"]), max_growth=float(v["max_delivery_growth"]),
                              growth_floor=int(v["delivery_growth_floor_bytes"]))


def largest_delivery(con, raw_dir: Path, dataset: str) -> tuple[str, int] | None:
    """(file, bytes) of the largest delivery of `dataset` registered so far (`landing.deliveries`,
    earlier runs and this one), None when there is none. A delivery registered by an older release has
    no recorded size: its file in raw/ gives it, when it is still there."""
    largest = None
    for file, size in con.execute("select delivery_file, size_bytes from landing.deliveries where dataset = ? "
                                  "order by delivery_file", [dataset]).fetchall():
        if size is None:
            try:
                info = (raw_dir / file).lstat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            size = info.st_size
        if largest is None or size > largest[1]:
            largest = (file, int(size))
    return largest


def _size(n: int) -> str:
    return f"{n:,} bytes ({n / 1024 / 1024:.1f} MB)"


def check_delivery_size(size: int, display: str, largest_earlier: tuple[str, int] | None = None,
                        limits: DeliverySizeLimits | None = None) -> None:
    """Reject a delivery from its size (`path.stat().st_size`), before it is read.

    `largest_earlier`: (file, bytes) of the largest delivery of the same dataset registered so far, or
    None when there is none (the growth rule needs one)."""
    limits = limits or delivery_size_limits()
    if size > limits.max_bytes:
        raise RejectedFile(display, f"{_size(size)} is larger than the declared maximum of {_size(limits.max_bytes)} "
                                    "per delivery (dbt var max_delivery_bytes): rejected before reading. A genuine "
                                    "file this large needs the maximum raised in dbt_project/dbt_project.yml")
    if largest_earlier is None or size <= limits.growth_floor:
        return
    earlier_file, earlier_size = largest_earlier
    if size > limits.max_growth * earlier_size:
        raise RejectedFile(display, f"{_size(size)} is more than {limits.max_growth:g} times the largest earlier "
                                    f"delivery of its dataset ({earlier_file}, {_size(earlier_size)}; dbt var "
                                    "max_delivery_growth): rejected before reading. A genuine file this large "
                                    "needs max_delivery_growth raised in dbt_project/dbt_project.yml")


def check_regular_file(path: Path, raw_dir: Path, display: str) -> None:
    """Reject anything that is not a regular file inside `raw_dir`, without opening it."""
    try:
        mode = path.lstat().st_mode
    except OSError as exc:
        raise RejectedFile(display, f"cannot be inspected ({exc.strerror}); skipped") from None
    if stat.S_ISLNK(mode):
        raise RejectedFile(display, "is a symbolic link: only regular files inside raw/ are read; skipped, "
                                    "its target was not opened")
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
        raise RejectedFile(display, f"is {kind}: only regular files inside raw/ are read; skipped")
    try:
        inside = path.resolve().is_relative_to(raw_dir.resolve())
    except OSError:
        inside = False
    if not inside:
        raise RejectedFile(display, "lies outside the raw directory (a linked folder): skipped, not read")


def check_delivery_date(delivery_date: date, display: str, today: date | None = None) -> None:
    today = today or date.today()
    if delivery_date > today:
        raise RejectedFile(display, f"delivery date {delivery_date.isoformat()} in the file name is after today "
                                    f"({today.isoformat()}): a delivery cannot be published in the future; "
                                    "rename it with its real publication date")


_BOMS = [
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian, with BOM)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian, with BOM)"),
    (b"\xff\xfe", "UTF-16 (little-endian, with BOM)"),
    (b"\xfe\xff", "UTF-16 (big-endian, with BOM)"),
]


def detect_wide_encoding(data: bytes) -> str | None:
    """Name a UTF-16/UTF-32 encoding from its BOM or its pattern of zero bytes; None otherwise."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:4096]
    if len(head) >= 4 and b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
            return "UTF-16 (little-endian, without BOM)"
        if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
            return "UTF-16 (big-endian, without BOM)"
    return None


def explain_encoding(rejected: RejectedFile, data: bytes) -> RejectedFile:
    """A file the reader calls binary: say which encoding it really is, when we can tell."""
    if rejected.reason.startswith("not valid UTF-8"):
        try:
            data.decode("cp1252")
        except UnicodeDecodeError:
            return rejected
        return RejectedFile(rejected.path, f"wrong encoding: {rejected.reason}; the bytes look like cp1252 "
                                           "(Windows-1252): this file must be UTF-8, save it again as UTF-8",
                            line=rejected.line)
    if not rejected.reason.startswith("binary content"):
        return rejected
    encoding = detect_wide_encoding(data)
    if encoding is None:
        return rejected
    return RejectedFile(rejected.path, f"wrong encoding: the file is {encoding}; raw files must be cp1252 "
                                       "or UTF-8: save it again as UTF-8", line=1)


def check_wide_header(header: list[str], layout, dimension_headers: set[str], display: str) -> None:
    """Strict count columns of a wide layout (`layouts.WideLayout`).

    A column is in a count position when it comes after the first count column or its name contains
    a year; every such column must match the layout's count-column pattern, each (kind, year, gender)
    exactly once, and, where the header carries the gender, every year needs both MAN and VROUW.
    """
    pattern = re.compile(layout.count_header)
    seen: dict[tuple, str] = {}
    first_count = None
    for i, raw in enumerate(header):
        name = canonical_header(raw)
        if not name or name in dimension_headers or name == layout.gender_header:
            continue
        m = pattern.match(name)
        if m:
            first_count = i if first_count is None else first_count
            groups = m.groupdict()
            key = (groups.get("kind"), groups["year"], groups.get("gender"))
            if key in seen:
                raise RejectedFile(display, f"duplicated year column {raw.strip()!r} (same year and gender as "
                                            f"{seen[key]!r})", line=1, column=raw.strip())
            seen[key] = raw.strip()
        elif first_count is not None or _YEARISH.search(name):
            raise RejectedFile(display, f"unknown or misspelled column {raw.strip()!r} in a count position "
                                        f"(layout {layout.name}: count columns must match {layout.count_header})",
                               line=1, column=raw.strip())
    if layout.gender_header:
        return  # one row per gender: the gender is not in the header
    for kind, year in sorted({(k, y) for k, y, _ in seen}, key=str):
        for gender in ("MAN", "VROUW"):
            if (kind, year, gender) not in seen:
                other = next(v for (k, y, _), v in seen.items() if (k, y) == (kind, year))
                raise RejectedFile(display, f"year {year} has column {other!r} but no {gender} column: "
                                            "every year needs both genders", line=1, column=other)


def check_has_data(n_cells: int, n_problems: int, display: str) -> None:
    if n_cells == 0 and n_problems == 0:
        raise RejectedFile(display, "no data lines (the file is empty below its header): rejected, not "
                                    "registered; deliver the complete file under the same name", line=2)
