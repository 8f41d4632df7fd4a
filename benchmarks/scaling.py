"""Deterministic scaled copies of the shipped sample, and a synthetic "one new delivery".

`scale_raw(source, target, n)` copies `raw/` and makes every DUO data line appear `n` times: copy
k = 0 is the original, copy k >= 1 belongs to another institution (a distinct code starting with a
letter: the sample's codes all start with two digits, so the new ones never collide) and, for HO, to another
programme (a sixth digit k % 10 in front of the 5-digit CROHO code, added to the CROHO
classification with the original's classification). The reference and program files grow with
them: each scaled institution is in `reference/institutions.csv` (mergers map onto the scaled
merger target) and takes part in the same programmes as its original. Audit workbooks are copied
as they are. Same input, same bytes: nothing here is random.
"""

from __future__ import annotations

import re
import shutil
import string
from datetime import date
from pathlib import Path

from pipelines.ingest.datasets import DATASETS
from pipelines.ingest.normalise import canonical_header

PROGRAMME_VARIANTS = 10  # HO programme codes: the original plus up to 9 prefixed variants


ALPHABET = string.digits + string.ascii_uppercase
FIRST_NEW = 10 * 36 ** 3  # base-36 value of "A000": codes from here on start with a letter


class CodeMap:
    """Institution code of copy k: original codes (all starting with two digits) are numbered, and
    copy k of the i-th code is the base-36 number FIRST_NEW + (k - 1) * n + i, so every scaled code
    starts with a letter, is distinct and never collides with an original."""

    def __init__(self, codes) -> None:
        self.index = {code: i for i, code in enumerate(sorted(set(codes)))}

    def __call__(self, code: str, k: int) -> str:
        if k == 0 or code not in self.index:
            return code
        value = FIRST_NEW + (k - 1) * len(self.index) + self.index[code]
        if value >= 36 ** 4:
            raise ValueError("too many copies for 4-character institution codes")
        digits = []
        for _ in range(4):
            value, rest = divmod(value, 36)
            digits.append(ALPHABET[rest])
        return "".join(reversed(digits))


_CODE = re.compile(r"[0-9A-Z]{4}")


def scaled_programme(code: str, k: int) -> str:
    """`34035` -> `134035` for copy 1 ...; copies 0, 10, 20, ... keep the original programme."""
    p = k % PROGRAMME_VARIANTS
    return code if p == 0 else f"{p}{code}"


def _split(text: str) -> tuple[str, list[str], str, str]:
    newline = "\r\n" if "\r\n" in text else "\n"
    header, *rows = text.split(newline)
    delimiter = "," if header.count(",") > header.count(";") else ";"
    return header, rows, delimiter, newline


def _replace_field(field: str, old: str, new: str) -> str:
    """Replace `old` at the start of a (possibly quoted) field."""
    quoted = field.startswith('"')
    inner = field.strip('"')
    if not inner.startswith(old):
        return field
    inner = new + inner[len(old):]
    return f'"{inner}"' if quoted else inner


def _scale_duo_file(path: Path, scale: int, scaled_code: CodeMap) -> int:
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    encoding = "utf-8-sig" if bom else "cp1252"
    header, rows, delimiter, newline = _split(data.decode(encoding))
    columns = [canonical_header(c.strip('"')) for c in header.split(delimiter)]
    spec = DATASETS[path.parent.name]
    code_header = next(h for h, col in spec.dimensions.items() if col == spec.institution_column)
    inst = columns.index(code_header)
    prog = columns.index("OPLEIDINGSCODE ACTUEEL") if spec.family == "ho" else None
    width = len(columns) - 1
    data_rows = [r for r in rows if r.count(delimiter) == width]
    footer = [r for r in rows if r.count(delimiter) != width]
    out = [header]
    for k in range(scale):
        for row in data_rows:
            fields = row.split(delimiter)
            original = fields[inst].strip('"')
            code = scaled_code(original, k)
            # The code also prefixes vestigingsnummers (`12AB01`): rename it wherever it starts a field.
            fields = [_replace_field(f, original, code) for f in fields]
            if prog is not None:
                programme = fields[prog].strip('"')
                fields[prog] = _replace_field(fields[prog], programme, scaled_programme(programme, k))
            out.append(delimiter.join(fields))
    payload = newline.join(out + footer).encode("utf-8" if bom else "cp1252")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + payload)
    return len(out) - 1


def _scale_semicolon_csv(path: Path, scale: int, transform) -> None:
    """Append, for every copy k >= 1, the rows `transform(fields, k)` returns (None = no row)."""
    data = path.read_bytes()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    header, rows, delimiter, newline = _split(text)
    rows = [r for r in rows if r.strip()]
    out = [header, *rows]
    for k in range(1, scale):
        for row in rows:
            fields = transform(row.split(delimiter), k)
            if fields is not None:
                out.append(delimiter.join(fields))
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (newline.join(out) + newline).encode("utf-8"))


def _all_codes(raw: Path) -> set[str]:
    """Every institution code of the sample: reference, programs and the DUO files' code column."""
    codes = set()
    for path in [raw / "reference" / "institutions.csv", *sorted((raw / "programs").glob("*.csv"))]:
        codes |= {line.split(";")[0] for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]}
    for path in sorted((raw / "duo").rglob("*.csv")):
        data = path.read_bytes()
        text = data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "cp1252")
        header, rows, delimiter, _ = _split(text)
        columns = [canonical_header(c.strip('"')) for c in header.split(delimiter)]
        spec = DATASETS[path.parent.name]
        inst = columns.index(next(h for h, col in spec.dimensions.items() if col == spec.institution_column))
        codes |= {r.split(delimiter)[inst].strip('"') for r in rows if r.count(delimiter) == len(columns) - 1}
    return {c for c in codes if _CODE.fullmatch(c)}


def scale_raw(source: Path, target: Path, scale: int) -> int:
    """Copy `source` (a raw/ folder) to `target`, scaled `scale` times; returns the DUO data lines written."""
    shutil.copytree(source, target)
    scaled_code = CodeMap(_all_codes(target))
    lines = 0
    for path in sorted((target / "duo").rglob("*.csv")):
        lines += _scale_duo_file(path, scale, scaled_code)
    if scale > 1:
        croho = target / "reference" / "croho_classification.csv"
        variants = min(scale, PROGRAMME_VARIANTS)
        _scale_semicolon_csv(croho, variants, lambda f, k: [scaled_programme(f[0], k), *f[1:]])

        def institution(fields, k):
            # the optional columns after per_jaar (provincie, issue 20) stay as they are: a copy is
            # in the province of its original
            code, naam, soort, opgegaan_in, *rest = fields
            merged = scaled_code(opgegaan_in, k) if opgegaan_in else ""
            return [scaled_code(code, k), f"{naam} ({k})", soort, merged, *rest]

        _scale_semicolon_csv(target / "reference" / "institutions.csv", scale, institution)
        for program in sorted((target / "programs").glob("*.csv")):
            _scale_semicolon_csv(program, scale, lambda f, k: [scaled_code(f[0], k), *f[1:]])
    return lines


_DELIVERY = re.compile(r"^(\d{4}-\d{2}-\d{2})_")
_YEAR_GENDER = re.compile(r"(?<!\d)(\d{4})( (?:MAN|VROUW))")


def add_new_delivery(raw: Path, dataset: str = "ho_eerstejaars") -> Path:
    """Drop one new delivery into `raw`: the dataset's newest wide delivery, a year later, with
    every year column shifted one year on (so it restates the years it shares and adds a newer one)."""
    folder = raw / "duo" / dataset
    newest = max((p for p in folder.glob("*.csv") if not p.read_bytes().startswith(b"\xef\xbb\xbf")),
                 key=lambda p: p.name)
    delivered = date.fromisoformat(_DELIVERY.match(newest.name).group(1))
    text = newest.read_bytes().decode("cp1252")
    header, rest = text.split("\n", 1)
    header = _YEAR_GENDER.sub(lambda m: f"{int(m.group(1)) + 1}{m.group(2)}", header)
    target = folder / f"{delivered.replace(year=delivered.year + 1).isoformat()}_benchmark_new_delivery.csv"
    target.write_bytes((header + "\n" + rest).encode("cp1252"))
    return target
