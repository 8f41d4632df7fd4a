"""Builders for tiny raw mbo / havo-vwo / vmbo / program files (as bytes), for the unit tests.

Modelled on `examples/raw/duo/{mbo_gediplomeerden,vo_profielkeuze,vmbo_examenkandidaten}/` and
`examples/raw/programs/`: every file is built from text so a test shows exactly which bytes it reads.
"""

from __future__ import annotations

FOOTER = "Bron: DUO, open onderwijsdata"

# --- mbo (`mbo_eerstejaars`, `mbo_gediplomeerden`): `;`, cp1252, CRLF, wide ---------------------
MBO_DIMS = ["BRIN NUMMER", "INSTELLINGSNAAM", "PLAATSNAAM", "MBO SECTOR", "KWALIFICATIE CODE",
            "KWALIFICATIE NAAM", "KWALIFICATIENIVEAU", "TYPE MBO"]


def mbo_header(years=(2003, 2004), dims=MBO_DIMS) -> str:
    return ";".join([*dims, *(f"{y} {g}" for y in years for g in ("MAN", "VROUW"))])


def mbo_row(counts, *, code="25LZ", naam="ROC Zadkine", plaats="ROTTERDAM", sector="TECHNIEK",
            kwalificatiecode="10147", kwalificatienaam="Technicus Elektrotechnische Industriële Producten",
            niveau="4", type_mbo="BOL") -> str:
    return ";".join([code, naam, plaats, sector, kwalificatiecode, kwalificatienaam, niveau, type_mbo, *counts])


# --- havo/vwo (`vo_profielkeuze`): `;`, cp1252, CRLF, wide ---------------------------------------
VO_DIMS = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "PLAATSNAAM VESTIGING",
           "PROVINCIE VESTIGING", "ONDERWIJSTYPE VO", "LEERJAAR", "PROFIEL"]


def vo_header(years=(2003, 2004), dims=VO_DIMS) -> str:
    return ";".join([*dims, *(f"{y} {g}" for y in years for g in ("MAN", "VROUW"))])


def vo_row(counts, *, code="13QA", vestiging="01", naam="Scholengemeenschap Spieringshoek", plaats="SCHIEDAM",
           provincie="Zuid-Holland", onderwijstype="VWO", leerjaar="4", profiel="NT") -> str:
    return ";".join([code, vestiging, naam, plaats, provincie, onderwijstype, leerjaar, profiel, *counts])


# --- vmbo (`vmbo_examenkandidaten`): `;`, cp1252, CRLF, wide -------------------------------------
VMBO_DIMS = ["BRIN NUMMER", "VESTIGINGSNUMMER", "INSTELLINGSNAAM VESTIGING", "GEMEENTENAAM", "LEERWEG VMBO",
             "VMBO SECTOR"]


def vmbo_count_header(year: int, gender: str) -> str:
    return f"EXAMENKANDIDATEN SCHOOLJAAR {year}-{year + 1} {gender}"


def vmbo_header(years=(2006, 2007), dims=VMBO_DIMS) -> str:
    return ";".join([*dims, *(vmbo_count_header(y, g) for y in years for g in ("MAN", "VROUW"))])


def vmbo_row(counts, *, code="02ZT", vestiging="00", naam="Noorderpoort Beroepsonderwijs", gemeente="STADSKANAAL",
             leerweg="BB", sector="TECHNIEK") -> str:
    return ";".join([code, vestiging, naam, gemeente, leerweg, sector, *counts])


def semicolon_file(header: str, *lines: str, footer=True, encoding="cp1252", newline="\r\n") -> bytes:
    """A DUO `;` file: header, data lines and (by default) a blank line + the `Bron: DUO` footer."""
    out = [header, *lines]
    if footer:
        out += ["", FOOTER]
    return (newline.join(out) + newline).encode(encoding)


# --- programs/*.csv: `;`, UTF-8 -----------------------------------------------------------------
PROGRAMS_HEADER = "instellingscode;programma;vanaf;tot_en_met"


def program_file(*rows: str, header: str = PROGRAMS_HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")
