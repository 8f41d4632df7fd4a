"""Builders for tiny raw DUO files (as bytes), shared by the unit tests.

Every file is built here from text so a test shows exactly which bytes it feeds the reader.
"""

from __future__ import annotations

from pathlib import Path

# --- HO wide layout (W): `;`, cp1252, CRLF -------------------------------------------------------
W_DIMS = ["PROVINCIE", "GEMEENTENUMMER", "GEMEENTENAAM", "SOORT INSTELLING", "TYPE HOGER ONDERWIJS",
          "BRIN NUMMER ACTUEEL", "INSTELLINGSNAAM ACTUEEL", "CROHO ONDERDEEL", "CROHO SUBONDERDEEL",
          "OPLEIDINGSCODE ACTUEEL", "OPLEIDINGSNAAM ACTUEEL", "OPLEIDINGSVORM", "OPLEIDINGSFASE ACTUEEL"]


def w_header(years=(2003, 2004), dims=W_DIMS) -> str:
    return ";".join([*dims, *(f"{y} {g}" for y in years for g in ("MAN", "VROUW"))])


def w_row(counts, *, sector="wo", code="21PM", naam="Radboud Universiteit Nijmegen", onderdeel="natuur",
          opleidingscode="56860", opleidingsnaam="B Scheikunde", vorm="voltijd onderwijs",
          fase="bachelor") -> str:
    dims = ["Gelderland", "0268", "NIJMEGEN", "reguliere inst.", sector, code, naam, onderdeel,
            f"n.v.t. ({onderdeel})", opleidingscode, opleidingsnaam, vorm, fase]
    return ";".join([*dims, *counts])


def w_file(*lines: str, years=(2003, 2004), header: str | None = None, footer=True,
           encoding="cp1252", newline="\r\n") -> bytes:
    out = [header if header is not None else w_header(years), *lines]
    if footer:
        out += ["", "Bron: DUO, open onderwijsdata"]
    return (newline.join(out) + newline).encode(encoding)


# --- HO long layout (L): `,`, UTF-8 with BOM, quoted text ---------------------------------------
L_COLUMNS = ["PROVINCIENAAM", "GEMEENTENUMMER", "GEMEENTENAAM", "SOORT_INSTELLING", "TYPE_HOGER_ONDERWIJS",
             "INSTELLINGSCODE_ACTUEEL", "INSTELLINGSNAAM_ACTUEEL", "ONDERDEEL", "SUBONDERDEEL",
             "OPLEIDINGSCODE_ACTUEEL", "OPLEIDINGSNAAM_ACTUEEL", "OPLEIDINGSVORM", "GESLACHT", "AANTAL"]


def l_header(year_column="STUDIEJAAR", extra=()) -> str:
    return ",".join(f'"{h}"' for h in [year_column, *L_COLUMNS, *extra])


def l_row(year, gender, count, *, sector="WO", code="21PM", naam="Radboud Universiteit Nijmegen",
          onderdeel="NATUUR", opleidingscode="56860", opleidingsnaam="B Scheikunde", vorm="VT", extra=()) -> str:
    text = ["GELDERLAND", "0268", "NIJMEGEN", "REGULIERE INST.", sector, code, naam, onderdeel,
            f"N.V.T. ({onderdeel})", opleidingscode, opleidingsnaam, vorm, gender]
    quoted = ",".join(f'"{t}"' for t in text)
    tail = "".join(f',"{e}"' for e in extra)
    return f"{year},{quoted},{count}{tail}"


def l_file(*lines: str, header: str | None = None, bom=True, newline="\r\n") -> bytes:
    text = newline.join([header if header is not None else l_header(), *lines]) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def put(raw_dir: Path, relative: str, data: bytes) -> Path:
    path = raw_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path
