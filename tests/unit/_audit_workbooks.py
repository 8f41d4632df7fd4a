"""Builders for tiny audit workbooks and hostile zip packages (as bytes), for tests/unit/test_audits.py."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from openpyxl.styles import Border, Side

HEADER = ["Instellingscode", "Instellingsnaam", "Programma", "Auditjaar", "Oordeel", "Voorzitter", "Toelichting"]
CHAIR = "drs. W. van Oosterom"


def row(code="25KB", naam="NHTV Breda", programma="HBO-SPRINT", jaar=2007, oordeel="positief",
        voorzitter=CHAIR, toelichting="Op koers."):
    return [code, naam, programma, jaar, oordeel, voorzitter, toelichting]


def workbook(rows, *, header=HEADER, title: str | None = None, sheet="Oordelen", trailing_empty_rows=0,
             extra_sheets=(), header_row: int | None = None) -> bytes:
    """An xlsx with `rows` below `header`; with a title, row 1 is a merged title and row 2 is empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for name in extra_sheets:
        wb.create_sheet(name)
    start = header_row or (3 if title else 1)
    if title:
        ws["A1"] = title
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    for col, name in enumerate(header, start=1):
        ws.cell(row=start, column=col, value=name)
    for r, values in enumerate(rows, start=start + 1):
        for col, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=col, value=value)
    border = Border(bottom=Side(style="thin"))
    last = start + len(rows)
    for r in range(last + 1, last + 1 + trailing_empty_rows):  # formatted but empty, as in real templates
        for col in range(1, len(header) + 1):
            ws.cell(row=r, column=col).border = border
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, name: str, transform) -> bytes:
    """The same package with one member's bytes transformed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, transform(content) if info.filename == name else content)
    return out.getvalue()


def zip_bomb(member_bytes: int = 50 * 1024 * 1024) -> bytes:
    """A package whose sheet is `member_bytes` of zeros: it deflates about 1000:1."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            chunk = bytes(1024 * 1024)
            for _ in range(member_bytes // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def many_members(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(count - 1):
            archive.writestr(f"xl/media/image{i}.bin", b"x")
    return out.getvalue()


def wide_total(members: int, member_bytes: int) -> bytes:
    """Many members each just under the ratio-check size, together too large."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        payload = bytes(member_bytes)
        for i in range(members):
            archive.writestr(f"xl/media/part{i}.bin", payload)
    return out.getvalue()
