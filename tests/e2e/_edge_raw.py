"""A small, hand-computable raw directory for tests/e2e/test_marts_edge_cases.py.

It extends `tests.conftest.write_small_raw` (HO data for 30AA / 21BB, CROHO classification,
institutions, `programs/sprint.csv`) with:

- `duo/vo_profielkeuze/2004-03-15_profielkeuze_vo.csv`: wide, `;`, cp1252, CRLF, footer
  (raw-data contract 6.3), years 2000-2003, havo and vwo leerjaar 4, every profile, both genders;
- vo schools in `reference/institutions.csv`, one of them merged into another;
- `programs/universum.csv` and `programs/jet-net.csv`;
- four audit workbooks in `audits/` (HBO-SPRINT rounds 2002 and 2003, WO-SPRINT 2002, UNIVERSUM 2002).

The vo schools (all soort vo):

  code  role                                          programs
  50AA  big non-participant, havo + vwo                -
  51UU  havo + vwo, in BOTH programs                    UNIVERSUM 2000-, JET-NET 2001-
  52JJ  vwo, joins mid-series                           UNIVERSUM 2002-
  53LL  vwo, leaves                                      JET-NET 2000-2001
  54OO  vwo, merged into 55SS per 2002 (data 2000-2001) -
  55SS  vwo, the surviving school                        -
  56KK  vwo, small: 7.5 pupils with an N-profiel in 2002 -
  57ZZ  vwo, small: 5 pupils with an N-profiel in 2002   -

Hand-computed N-profiel counts (NT + NG + NT/NG, man + vrouw) per school and year; `<5` counts 2.5:

  vwo        2000   2001   2002   2003
  50AA         80     80     80     90      (NT 20/10 -> 25/15 in 2003, NG 10/20, NT/NG 10/10)
  51UU         40     40     50     50      (NT 15/5 -> 20/10 from 2002, NG 5/15)
  52JJ         40     40     45     50      (NT 10/10, 15/10, 15/15; NG 10/10)
  53LL         40     40     40     40      (NT 10/10, NG 10/10)
  54OO         30     30      0      0      (NT 10/5, NG 5/10; empty cells from 2002)
  55SS         50     50     90     90      (NT 20/10 -> 35/20, NG 10/10 -> 15/20)
  56KK         12     11    7.5     10      (NT 7/5, 6/5, 5/<5, 5/5)
  57ZZ         10     10      5     10      (NG 5/5, 5/5, 5/empty, 5/5)
  total       302    301  317.5    340      = sector_growth vwo instroom

  havo       2000   2001   2002   2003
  50AA         50     50     50     55      (NT 20/5 -> 25/5 in 2003, NG 10/15)
  51UU         30     30     30     35      (NT 10/5 -> 15/5 in 2003, NG 5/10)

All pupils (every profile) per school, vwo, man / vrouw:

  vwo        2000     2001     2002     2003
  50AA     80/110   80/110   80/110   85/115   (N 40/40 -> 45/45; EM 30/30, CM 10/40, EM/CM 0/0)
  51UU      50/70    50/70    55/75    55/75   (N 20/20 -> 25/25; EM 20/20, CM 10/30)
  52JJ      50/60    50/60    55/60    55/65   (N 20/20, 20/20, 25/20, 25/25; EM 20/20, CM 10/20)
  53LL      40/40    40/40    40/40    40/40   (N 20/20; EM 20/20)
  54OO      25/25    25/25      0/0      0/0   (N 15/15; EM 10/10)
  55SS      50/40    50/40    80/70    80/70   (N 30/20 -> 50/40; EM 20/20 -> 30/30)
  56KK      17/15    16/15  15/12.5    15/15   (N 7/5, 6/5, 5/2.5, 5/5; EM 10/10)
  57ZZ      15/15    15/15    15/10    15/15   (N 5/5, 5/5, 5/0, 5/5; EM 10/10)
  total   327/375  326/375 340/377.5 345/395
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_small_raw
from tests.unit._audit_workbooks import row, workbook

YEARS = [2000, 2001, 2002, 2003]
PROFILES = ["NT", "NG", "NT/NG", "EM", "CM", "EM/CM"]

VO_HEADER = ("BRIN NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM VESTIGING;PLAATSNAAM VESTIGING;PROVINCIE VESTIGING;"
             "ONDERWIJSTYPE VO;LEERJAAR;PROFIEL")

# code -> (name, vestigingsnummer as written, plaats)
VO_SCHOOLS = {
    "50AA": ("Stedelijk Lyceum Alfa", "01", "Utrecht"),
    "51UU": ("Universum College", "51UU01", "Utrecht"),  # the BRIN-prefixed spelling of branch 01
    "52JJ": ("Scholengemeenschap Jôke", "01", "Zeist"),   # non-ASCII name: the file is cp1252
    "53LL": ("Leerhuis Lelystad", "01", "Lelystad"),
    "54OO": ("Oude Scholengemeenschap", "01", "Houten"),
    "55SS": ("Samen College", "01", "Houten"),
    "56KK": ("Kleine Lyceum", "01", "Nieuwegein"),
    "57ZZ": ("Zuiderlicht Lyceum", "01", "Vianen"),
}


def _c(man, vrouw) -> tuple[str, str]:
    return (str(man), str(vrouw))


def _constant(man, vrouw) -> list[tuple[str, str]]:
    return [_c(man, vrouw)] * len(YEARS)


EMPTY = [("", "")] * len(YEARS)

# (code, sector) -> profile -> [(man, vrouw) per year 2000..2003]; text exactly as written in the file.
VO_ROWS: dict[tuple[str, str], dict[str, list[tuple[str, str]]]] = {
    ("50AA", "VWO"): {
        "NT": [_c(20, 10), _c(20, 10), _c(20, 10), _c(25, 15)],
        "NG": _constant(10, 20),
        "NT/NG": _constant(10, 10),
        "EM": _constant(30, 30),
        "CM": _constant(10, 40),
        "EM/CM": _constant(0, 0),
    },
    ("50AA", "HAVO"): {
        "NT": [_c(20, 5), _c(20, 5), _c(20, 5), _c(25, 5)],
        "NG": _constant(10, 15),
        "NT/NG": EMPTY,
        "EM": _constant(40, 40),
        "CM": _constant(10, 40),
        "EM/CM": _constant(5, 5),
    },
    ("51UU", "VWO"): {
        "NT": [_c(15, 5), _c(15, 5), _c(20, 10), _c(20, 10)],
        "NG": _constant(5, 15),
        "NT/NG": EMPTY,
        "EM": _constant(20, 20),
        "CM": _constant(10, 30),
        "EM/CM": EMPTY,
    },
    ("51UU", "HAVO"): {
        "NT": [_c(10, 5), _c(10, 5), _c(10, 5), _c(15, 5)],
        "NG": _constant(5, 10),
        "NT/NG": EMPTY,
        "EM": _constant(20, 20),
        "CM": _constant(5, 20),
        "EM/CM": EMPTY,
    },
    ("52JJ", "VWO"): {
        "NT": [_c(10, 10), _c(10, 10), _c(15, 10), _c(15, 15)],
        "NG": _constant(10, 10),
        "NT/NG": EMPTY,
        "EM": _constant(20, 20),
        "CM": _constant(10, 20),
        "EM/CM": EMPTY,
    },
    ("53LL", "VWO"): {
        "NT": _constant(10, 10),
        "NG": _constant(10, 10),
        "NT/NG": EMPTY,
        "EM": _constant(20, 20),
        "CM": EMPTY,
        "EM/CM": EMPTY,
    },
    ("54OO", "VWO"): {  # merged into 55SS per 2002: no pupils from 2002 on (empty = 0)
        "NT": [_c(10, 5), _c(10, 5), ("", ""), ("", "")],
        "NG": [_c(5, 10), _c(5, 10), ("", ""), ("", "")],
        "NT/NG": EMPTY,
        "EM": [_c(10, 10), _c(10, 10), ("", ""), ("", "")],
        "CM": EMPTY,
        "EM/CM": EMPTY,
    },
    ("55SS", "VWO"): {
        "NT": [_c(20, 10), _c(20, 10), _c(35, 20), _c(35, 20)],
        "NG": [_c(10, 10), _c(10, 10), _c(15, 20), _c(15, 20)],
        "NT/NG": EMPTY,
        "EM": [_c(20, 20), _c(20, 20), _c(30, 30), _c(30, 30)],
        "CM": EMPTY,
        "EM/CM": EMPTY,
    },
    ("56KK", "VWO"): {
        "NT": [_c(7, 5), _c(6, 5), _c(5, "<5"), _c(5, 5)],
        "NG": EMPTY,
        "NT/NG": EMPTY,
        "EM": _constant(10, 10),
        "CM": EMPTY,
        "EM/CM": EMPTY,
    },
    ("57ZZ", "VWO"): {
        "NT": EMPTY,
        "NG": [_c(5, 5), _c(5, 5), _c(5, ""), _c(5, 5)],
        "NT/NG": EMPTY,
        "EM": _constant(10, 10),
        "CM": EMPTY,
        "EM/CM": EMPTY,
    },
}

VO_INSTITUTIONS = [
    ("50AA", "Stedelijk Lyceum Alfa", "vo", "", ""),
    ("51UU", "Universum College", "vo", "", ""),
    ("52JJ", "Scholengemeenschap Jôke", "vo", "", ""),
    ("53LL", "Leerhuis Lelystad", "vo", "", ""),
    ("54OO", "Oude Scholengemeenschap", "vo", "55SS", "2002"),
    ("55SS", "Samen College", "vo", "", ""),
    ("56KK", "Kleine Lyceum", "vo", "", ""),
    ("57ZZ", "Zuiderlicht Lyceum", "vo", "", ""),
    # A hogeschool judged by the HBO-SPRINT committee that has no HO data in the monitor.
    ("30CC", "Hogeschool Zonder Cijfers", "hbo", "", ""),
]

PROGRAM_FILES = {
    "universum.csv": [("51UU", "UNIVERSUM", "2000", ""), ("52JJ", "UNIVERSUM", "2002", "")],
    "jet-net.csv": [("51UU", "JET-NET", "2001", ""), ("53LL", "JET-NET", "2000", "2001")],
}

CHAIR = "prof. dr. A. Voorzitter"

# audits/<file> -> rows (code, naam, programma, auditjaar, oordeel as written)
AUDITS = {
    "hbo-sprint_2002.xlsx": [("30AA", "Hogeschool Bèta", "HBO-SPRINT", 2002, "Twijfelachtig")],
    "hbo-sprint_2003.xlsx": [("30AA", "Hogeschool Bèta", "Hbo-sprint", "2003", "positief"),
                             ("30CC", "Hogeschool Zonder Cijfers", "HBO-SPRINT", 2003, "NEGATIEF")],
    "wo-sprint_2002.xlsx": [("21BB", "Universiteit Delta", "WO-SPRINT", 2002, "positief")],
    "universum_2002.xlsx": [("51UU", "Universum College", "UNIVERSUM", 2002, "positief"),
                            ("52JJ", "Scholengemeenschap Jôke", "UNIVERSUM", 2002, "twijfel")],
}


def write_vo_profielkeuze(path: Path, years: list[int] = YEARS, rows=VO_ROWS) -> Path:
    header = VO_HEADER + "".join(f";{y} MAN;{y} VROUW" for y in years)
    lines = [header]
    for (code, sector), profiles in rows.items():
        name, vestiging, plaats = VO_SCHOOLS[code]
        for profiel in PROFILES:
            counts = [profiles[profiel][YEARS.index(y)] for y in years]
            dims = [code, vestiging, name, plaats.upper(), "Utrecht", sector, "4", profiel]
            lines.append(";".join(dims + [c for pair in counts for c in pair]))
    lines += ["", "Bron: DUO, open onderwijsdata", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def audit_workbook(rows) -> bytes:
    return workbook([row(code=c, naam=n, programma=p, jaar=j, oordeel=o, voorzitter=CHAIR, toelichting="")
                     for c, n, p, j, o in rows], title="Oordelen auditcommissie")


def write_audit(raw: Path, name: str, rows) -> Path:
    path = raw / "audits" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(audit_workbook(rows))
    return path


def write_edge_raw(root: Path) -> Path:
    """`write_small_raw` plus the vo delivery, vo schools, UNIVERSUM/JET-NET files and audit workbooks."""
    write_small_raw(root)
    write_vo_profielkeuze(root / "duo" / "vo_profielkeuze" / "2004-03-15_profielkeuze_vo.csv")
    institutions = root / "reference" / "institutions.csv"
    extra = "".join(";".join(fields) + "\n" for fields in VO_INSTITUTIONS)
    institutions.write_text(institutions.read_text(encoding="utf-8") + extra, encoding="utf-8")
    for name, rows in PROGRAM_FILES.items():
        (root / "programs" / name).write_text(
            "instellingscode;programma;vanaf;tot_en_met\n" + "".join(";".join(r) + "\n" for r in rows),
            encoding="utf-8")
    for name, rows in AUDITS.items():
        write_audit(root, name, rows)
    return root
