#!/usr/bin/env python3
"""Generate the sample audit committee workbooks shipped in ``raw/audits/``.

One workbook per committee per round (raw-data contract section 8), made the way real committee
workbooks look: a merged title cell in row 1, an empty row 2, the header in row 3, years stored
partly as text and partly as numbers, case variants of programma and oordeel, stray spaces in a
code, ``twijfelachtig`` in one row, and formatted-but-empty trailing rows.

- ``2006_hbo-sprint.xlsx`` / ``2007_hbo-sprint.xlsx``: every hogeschool in
  ``raw/reference/institutions.csv`` that still exists (merged-away codes such as 27UM are
  skipped). Calibrated to the Programmaplan 2008: the number of hogescholen judged *twijfel* or
  *negatief* fell from **9 (2006) to 3 (2007)**; all other participants are *positief*.
- ``2007_wo-sprint.xlsx``: the universities in ``institutions.csv``.
- ``2007_universum.xlsx`` / ``2007_vmbo-ambitie.xlsx``: vo / vmbo schools from ``institutions.csv``
  when it lists any (``soort`` vo / vmbo); otherwise the invented schools in
  :data:`INVENTED_INSTITUTIONS` (add those to ``institutions.csv``, or the reader quarantines
  their rows as unknown institutions).

Deterministic: no clock, no randomness. openpyxl stamps the save time into ``docProps/core.xml``
and into the zip member headers, so the saved package is rewritten with fixed core properties,
a fixed member order and a fixed member ``date_time``. Running it twice gives byte-identical
files (with the same openpyxl and zlib; a different deflate implementation such as zlib-ng
would compress differently). The script re-reads what it wrote with plain openpyxl (not the
pipeline's reader) and asserts the 9 -> 3 figure.

Usage:  python scripts/generate_audit_workbooks.py [--raw-dir DIR] [--institutions CSV]
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXED_TIME = datetime(2008, 1, 1, 0, 0, 0)
ZIP_DATE_TIME = (2008, 1, 1, 0, 0, 0)
HEADER = ["Instellingscode", "Instellingsnaam", "Programma", "Auditjaar", "Oordeel", "Voorzitter", "Toelichting"]
WIDTHS = [16, 44, 14, 11, 13, 26, 60]

# ------------------------------------------------------------------------------------------------
# INVENTED INSTITUTIONS: not in raw/reference/institutions.csv (which lists hbo and wo only).
# The codes are made up (the `99` prefix makes that visible), the names are fictitious. They are
# used only while institutions.csv has no institutions of that soort. To make the reader accept
# these rows, add them to raw/reference/institutions.csv as `code;naam;soort;;`.
# 13QA and 02ZT are the codes of the contract's own example (examples/raw/programs).
# ------------------------------------------------------------------------------------------------
INVENTED_INSTITUTIONS: dict[str, tuple[str, str]] = {  # code: (naam, soort)
    "13QA": ("Stedelijk Lyceum Meerwijk", "vo"),
    "99VA": ("Christelijk College De Populier", "vo"),
    "99VB": ("Gymnasium Celsius", "vo"),
    "99VC": ("Scholengemeenschap Noorderpoort", "vo"),
    "99VD": ("Montessori Lyceum Zuidrand", "vo"),
    "99VE": ("Het Baken Lyceum", "vo"),
    "99VF": ("Rijnmond College", "vo"),
    "99VG": ("Comenius Scholengemeenschap Oost", "vo"),
    "02ZT": ("Vmbo Techniekcollege Westhaven", "vmbo"),
    "99MA": ("Vakcollege De Smederij", "vmbo"),
    "99MB": ("Vmbo Het Anker", "vmbo"),
    "99MC": ("Praktijkschool Maasoever", "vmbo"),
    "99MD": ("Vmbo Groenhorst Veldzicht", "vmbo"),
    "99ME": ("Technasium Vmbo Delta", "vmbo"),
    "99MF": ("Vmbo De Dijk", "vmbo"),
}

# HBO-SPRINT: the hogescholen judged twijfel/negatief per round; every other hogeschool is positief.
HBO_DOUBT = {
    2006: {
        "01MN": ("negatief", "Geen zichtbare koers; instroom bèta daalt verder."),
        "02DG": ("twijfel", "Plannen goed, uitvoering loopt achter."),
        "07GR": ("twijfel", "Doelen niet meetbaar geformuleerd."),
        "21WN": ("twijfel", "Weinig samenwerking met het voortgezet onderwijs."),
        "22OJ": ("negatief", "Geen monitoring van uitval in het eerste jaar."),
        "23JB": ("twijfel", "Draagvlak bij de opleidingen nog beperkt."),
        "25BE": ("twijfel", "Aanpak versnipperd over de faculteiten."),
        "27UB": ("twijfel", "Resultaten nog niet aantoonbaar."),
        "30GB": ("negatief", "Afspraken uit de vorige ronde niet nagekomen."),
    },
    2007: {
        "01MN": ("negatief", "Verbeterplan te laat ingediend."),
        "22OJ": ("twijfelachtig", "Aanpak nog weinig resultaatgericht."),
        "27UB": ("twijfel", "Uitval in het eerste jaar nog hoog."),
    },
}
HBO_POSITIVE_NOTES = ["Aanpak op koers.", "Kopgroep; instroom groeit.", "Goede aansluiting met het vo.",
                      "Duidelijke verbetering ten opzichte van vorig jaar.", "Resultaten aantoonbaar."]
HBO_EXPECTED = {2006: 9, 2007: 3}

WO_JUDGEMENTS = {  # default positief
    "21PD": ("twijfel", "Ambities hoog, onderbouwing mager."),
    "21PN": ("twijfel", "Bèta-aanbod beperkt; plan nog niet uitgewerkt."),
    "21PI": ("negatief", "Geen concreet actieplan ingediend."),
}
# Programs with many participants: judgements by position among the round's participants (sorted
# by code), so they follow raw/programs/*.csv whatever codes it holds.
UNIVERSUM_JUDGEMENTS_BY_POSITION = {
    2: ("twijfel", "Profielkeuze N nog niet gestegen."),
    17: ("twijfel", "Netwerk met bedrijven nog smal."),
    41: ("negatief", "Geen zichtbare vernieuwing van het bèta-onderwijs."),
}
VMBO_JUDGEMENTS_BY_POSITION = {
    1: ("twijfel", "Samenwerking met mbo komt moeizaam op gang."),
    4: ("negatief", "Techniekafdeling onderbezet."),
}


@dataclass(frozen=True)
class Institution:
    code: str
    naam: str
    soort: str


@dataclass(frozen=True)
class Row:
    code: object          # as written in the cell (text, possibly with stray spaces)
    naam: str
    programma: str        # as written
    jaar: object          # int or text
    oordeel: str          # as written
    toelichting: str


@dataclass(frozen=True)
class Workbook:
    file: str
    title: str
    chair: str
    secretary: str
    rows: list[Row]
    trailing_empty_rows: int = 4


def read_institutions(path: Path) -> list[Institution]:
    """Institutions that still exist (``opgegaan_in`` empty), in file order."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return [Institution(r["instellingscode"].strip(), r["naam"].strip(), r["soort"].strip())
            for r in rows if not (r.get("opgegaan_in") or "").strip()]


def of_soort(institutions: list[Institution], soort: str) -> list[Institution]:
    listed = [i for i in institutions if i.soort == soort]
    if listed:
        return listed
    return [Institution(code, naam, s) for code, (naam, s) in INVENTED_INSTITUTIONS.items() if s == soort]


# --- the workbooks -------------------------------------------------------------------------------

def hbo_sprint(hogescholen: list[Institution], year: int) -> Workbook:
    doubt = HBO_DOUBT[year]
    codes = {h.code for h in hogescholen}
    missing = sorted(set(doubt) - codes)
    assert not missing, f"HBO_DOUBT[{year}] names codes not in institutions.csv: {missing}"
    rows = []
    for n, school in enumerate(sorted(hogescholen, key=lambda h: h.code)):
        oordeel, note = doubt.get(school.code, ("positief", HBO_POSITIVE_NOTES[n % len(HBO_POSITIVE_NOTES)]))
        # Quirks, fixed by position so every run is the same.
        code: object = school.code
        jaar: object = year if n % 3 else str(year)          # every third year stored as text
        programma = "HBO-SPRINT"
        if year == 2006:
            if n == 4:
                code = f" {school.code} "                    # stray spaces around a code
            if n == 6:
                programma = "Hbo-sprint"
            oordeel = {"negatief": "NEGATIEF", "twijfel": "Twijfel"}.get(oordeel, oordeel)
        else:
            if n == 2:
                code = f"{school.code} "
            if n == 7:
                programma = "HBO SPRINT"
            if oordeel == "positief" and n % 2:
                oordeel = "Positief"
            if n == 9:
                oordeel = f"{oordeel} "                        # a trailing space after the judgement
        rows.append(Row(code, school.naam, programma, jaar, oordeel, note))
    chair = {2006: "prof. dr. ir. H.J. Kamphuis", 2007: "drs. W. van Oosterom"}[year]
    return Workbook(file=f"{year}_hbo-sprint.xlsx", title=f"Auditcommissie HBO-Sprint — oordelen ronde {year}",
                    chair=chair, secretary="Secretariaat auditcommissie HBO-Sprint", rows=rows)


def simple(file: str, title: str, programma: str, year: int, chair: str, institutions: list[Institution],
           judgements: dict[str, tuple[str, str]], secretary: str) -> Workbook:
    rows = []
    for n, inst in enumerate(sorted(institutions, key=lambda i: i.code)):
        oordeel, note = judgements.get(inst.code, ("positief", "Voldoet aan de afspraken."))
        jaar: object = str(year) if n % 2 else year
        code: object = f"{inst.code}  " if n == 1 else inst.code
        rows.append(Row(code, inst.naam, programma, jaar, oordeel.capitalize() if n % 4 == 3 else oordeel, note))
    return Workbook(file=file, title=title, chair=chair, secretary=secretary, rows=rows)


def participants(raw_dir: Path, programma: str, year: int, institutions: list[Institution],
                 soort: str) -> list[Institution]:
    """The institutions taking part in `programma` in `year` per raw/programs/*.csv (the committee
    judges participants); without program files, every institution of the soort."""
    by_code = {i.code: i for i in institutions}
    codes = set()
    for path in sorted((raw_dir / "programs").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for r in csv.DictReader(fh, delimiter=";"):
                until = (r["tot_en_met"] or "").strip()
                if (r["programma"].strip() == programma and int(r["vanaf"]) <= year
                        and (not until or year <= int(until)) and r["instellingscode"].strip() in by_code):
                    codes.add(r["instellingscode"].strip())
    return [by_code[c] for c in sorted(codes)] if codes else of_soort(institutions, soort)


def by_position(institutions: list[Institution], judgements: dict[int, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    ordered = sorted(institutions, key=lambda i: i.code)
    return {ordered[n].code: j for n, j in judgements.items() if n < len(ordered)}


def all_workbooks(institutions: list[Institution], raw_dir: Path = REPO_ROOT / "raw") -> list[Workbook]:
    hogescholen = of_soort(institutions, "hbo")
    universum = participants(raw_dir, "UNIVERSUM", 2007, institutions, "vo")
    vmbo = participants(raw_dir, "VMBO-AMBITIE", 2007, institutions, "vmbo")
    return [
        hbo_sprint(hogescholen, 2006),
        hbo_sprint(hogescholen, 2007),
        simple("2007_wo-sprint.xlsx", "Auditcommissie WO-Sprint — oordelen ronde 2007", "WO-SPRINT", 2007,
               "prof. dr. A.M. Verbeek", of_soort(institutions, "wo"), WO_JUDGEMENTS,
               "Secretariaat auditcommissie WO-Sprint"),
        simple("2007_universum.xlsx", "Auditcommissie Universum — oordelen ronde 2007", "UNIVERSUM", 2007,
               "dr. E.C. de Bruijn", universum, by_position(universum, UNIVERSUM_JUDGEMENTS_BY_POSITION),
               "Secretariaat auditcommissie Universum"),
        simple("2007_vmbo-ambitie.xlsx", "Auditcommissie VMBO-Ambitie — oordelen ronde 2007", "Vmbo-Ambitie",
               2007, "ing. P. Hoekstra", vmbo, by_position(vmbo, VMBO_JUDGEMENTS_BY_POSITION),
               "Secretariaat auditcommissie VMBO-Ambitie"),
    ]


# --- writing -------------------------------------------------------------------------------------

def render(book: Workbook) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Oordelen"
    ws["A1"] = book.title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.row_dimensions[1].height = 24
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (name, width) in enumerate(zip(HEADER, WIDTHS), start=1):
        cell = ws.cell(row=3, column=col, value=name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = border
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = width
    for r, row in enumerate(book.rows, start=4):
        values = [row.code, row.naam, row.programma, row.jaar, row.oordeel, book.chair, row.toelichting]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.border = border
    # The committee's table template has a few more bordered rows than it needed: empty but present.
    last = 3 + len(book.rows)
    for r in range(last + 1, last + 1 + book.trailing_empty_rows):
        for col in range(1, len(HEADER) + 1):
            ws.cell(row=r, column=col).border = border
    ws.freeze_panes = "A4"

    wb.properties.creator = book.secretary
    wb.properties.lastModifiedBy = book.secretary
    wb.properties.title = book.title
    wb.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalise_package(buffer.getvalue())


_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CREATED = re.compile(rb"<dcterms:created([^>]*)>[^<]*</dcterms:created>")


def normalise_package(data: bytes) -> bytes:
    """Rewrite an xlsx package without the save time: fixed core dates, member order and timestamps."""
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    core = members["docProps/core.xml"]
    core = _MODIFIED.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", core)
    core = _CREATED.sub(rb"<dcterms:created\1>" + stamp + rb"</dcterms:created>", core)
    members["docProps/core.xml"] = core
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, members[name], compresslevel=6)
    return out.getvalue()


def generate(raw_dir: Path, institutions_csv: Path | None = None) -> list[Path]:
    """Write every sample workbook into ``raw_dir/audits/`` from the programs and institutions under
    ``raw_dir`` (so a fresh sample's workbooks follow its own programs); return the paths written."""
    institutions = read_institutions(institutions_csv or raw_dir / "reference" / "institutions.csv")
    folder = raw_dir / "audits"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for book in all_workbooks(institutions, raw_dir):
        path = folder / book.file
        path.write_bytes(render(book))
        written.append(path)
    return written


# --- independent check ---------------------------------------------------------------------------

def doubtful_hogescholen(path: Path) -> set[str]:
    """Distinct codes judged twijfel/negatief, read back with plain openpyxl (not the pipeline)."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        rows = list(wb["Oordelen"].iter_rows(min_row=4, values_only=True))
    finally:
        wb.close()
    return {str(r[0]).strip() for r in rows
            if r[0] is not None and str(r[4]).strip().lower() in {"twijfel", "twijfelachtig", "negatief"}}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, default=REPO_ROOT / "raw")
    parser.add_argument("--institutions", type=Path, default=None,
                        help="institutions.csv to take the codes from (default: the raw dir's reference/)")
    args = parser.parse_args(argv)
    args.institutions = args.institutions or args.raw_dir / "reference" / "institutions.csv"
    written = generate(args.raw_dir, args.institutions)
    for path in written:
        print(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path}")
    for year, expected in HBO_EXPECTED.items():
        found = doubtful_hogescholen(args.raw_dir / "audits" / f"{year}_hbo-sprint.xlsx")
        print(f"HBO-SPRINT {year}: {len(found)} hogescholen judged twijfel or negatief ({', '.join(sorted(found))})")
        assert len(found) == expected, f"expected {expected} in {year}, found {len(found)}"
    listed = {i.code for i in read_institutions(args.institutions)}
    invented = sorted(code for code in INVENTED_INSTITUTIONS if code not in listed)
    used = {i.code for soort in ("vo", "vmbo") for i in of_soort(read_institutions(args.institutions), soort)}
    if invented and used & set(invented):
        print("Not in institutions.csv yet (invented, see INVENTED_INSTITUTIONS): "
              + ", ".join(c for c in invented if c in used))


if __name__ == "__main__":
    main()
