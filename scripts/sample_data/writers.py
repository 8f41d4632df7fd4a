"""The file layouts: how DUO and the Platform write counts, separators, encodings and line ends."""
from __future__ import annotations

from pathlib import Path

GENDERS = ("MAN", "VROUW")
FOOTER = "Bron: DUO, open onderwijsdata"
BOM = b"\xef\xbb\xbf"


def fmt_wide_count(n: int) -> str:
    """``;`` layouts: empty = 0, ``<5`` = masked 1-4, thousands separator ``.``."""
    if n == 0:
        return ""
    if n < 5:
        return "<5"
    return f"{n:,}".replace(",", ".")


def long_count(n: int) -> int:
    """Long layout: masked 1-4 is written as -1."""
    return -1 if 0 < n < 5 else n


def _check_plain(field: str) -> str:
    # The wide files are written without quoting (as DUO does), so a field may
    # not contain the separator or a quote.
    assert ";" not in field and '"' not in field and "\n" not in field, field
    return field


def write_wide_csv(path: Path, fixed_header: list[str], years: tuple[int, ...],
                   rows: list[tuple[list[str], dict[tuple[int, str], int]]],
                   year_columns=lambda y: (f"{y} MAN", f"{y} VROUW")) -> None:
    """Legacy wide layout: ``;``, cp1252, CRLF, two count columns per year,
    an empty line and a ``Bron: DUO`` footer after the data."""
    header = list(fixed_header)
    for y in years:
        header.extend(year_columns(y))
    lines = [";".join(header)]
    for fixed, counts in rows:
        cells = [_check_plain(f) for f in fixed]
        for y in years:
            cells.extend(fmt_wide_count(counts.get((y, g), 0)) for g in GENDERS)
        lines.append(";".join(cells))
    lines.extend(["", FOOTER])
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def write_long_csv(path: Path, header: list[str], records: list[list[str | int]]) -> None:
    """Long layout: ``,``, UTF-8 with BOM, CRLF, text fields quoted, numbers not."""
    def cell(v: str | int) -> str:
        if isinstance(v, int):
            return str(v)
        return '"' + v.replace('"', '""') + '"'

    lines = [",".join(cell(h) for h in header)]
    lines.extend(",".join(cell(v) for v in rec) for rec in records)
    path.write_bytes(BOM + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def write_reference_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """Reference and programme files: ``;``, UTF-8 (no BOM), LF."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    path.write_bytes(text.encode("utf-8"))


def clean_dataset_dir(folder: Path) -> Path:
    """Remove previously generated files so renamed vintages do not linger."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in sorted(folder.glob("*.csv")):
        old.unlink()
    return folder
