"""HO programmes (CROHO) and what each hogeschool and university offers.

A programme's bèta/techniek and informatica flags drive both the CROHO classification file and
which calibration group (``calibration.HO_TARGETS``) its counts belong to.
"""
from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Programme:
    key: str
    code: str                  # CROHO code of the bachelor (hbo: the only one)
    name: str
    onderdeel: str             # CROHO onderdeel, lower case with spaces
    betatechniek: bool
    informatica: bool
    popularity: float          # relative size within an institution
    female: float              # share of women
    trend: float = 0.0         # yearly drift of the programme's share (log scale)
    start: int = 2000          # first intake year (new programmes start later)
    classified: bool = True    # False: deliberately missing from croho_classification.csv
    master: bool = True        # wo: graduates are counted under an M-code

    def code_for(self, dataset: str, sector: str) -> tuple[str, str]:
        """(opleidingscode, opleidingsnaam) under which the dataset reports it.

        wo graduates are reported under the master programme (CROHO 6xxxx), the
        others under the bachelor code.
        """
        if dataset == "ho_gediplomeerden" and sector == "wo":
            return "6" + self.code[1:], "M " + self.name[2:]
        return self.code, self.name


def _p(key, code, name, onderdeel, beta, inf, pop, female, trend=0.0, **kw) -> Programme:
    return Programme(key, code, name, onderdeel, beta, inf, pop, female, trend, **kw)


T, N, G, E, GZ = "techniek", "natuur", "gedrag en maatschappij", "economie", "gezondheidszorg"
HBO_PROGRAMMES = [
    # bèta/techniek
    _p("INF", "34479", "B Informatica", T, True, True, 3.0, 0.06),
    _p("TI", "34475", "B Technische Informatica", T, True, True, 1.8, 0.05),
    _p("WTB", "34035", "B Werktuigbouwkunde", T, True, False, 2.2, 0.04, 0.02),
    _p("ET", "34235", "B Elektrotechniek", T, True, False, 1.8, 0.03, -0.02),
    _p("CT", "34260", "B Civiele Techniek", T, True, False, 1.1, 0.12, 0.01),
    _p("BK", "34265", "B Bouwkunde", T, True, False, 1.4, 0.16, 0.02),
    _p("TBK", "34401", "B Technische Bedrijfskunde", T, True, False, 1.5, 0.15, 0.03),
    _p("TN", "34284", "B Technische Natuurkunde", T, True, False, 0.5, 0.12, -0.01),
    _p("LTV", "34409", "B Logistiek en Technische Vervoerskunde", T, True, False, 0.8, 0.13, 0.02),
    _p("LUCHT", "34620", "B Luchtvaarttechnologie", T, True, False, 1.2, 0.06, 0.02),
    _p("MAR", "34125", "B Maritiem Officier", T, True, False, 0.7, 0.05),
    _p("CHEM", "34396", "B Chemie", N, True, False, 0.8, 0.40, 0.01),
    _p("BML", "34397", "B Biologie en Medisch Laboratoriumonderzoek", N, True, False, 0.9, 0.62, 0.03),
    _p("TW", "34406", "B Toegepaste Wiskunde", N, True, False, 0.3, 0.30),
    # New programme (2002) that the classification has not picked up yet: the
    # pipeline must count it via its onderdeel (techniek) and report the code.
    _p("MECH", "34345", "B Mechatronica", T, True, False, 0.6, 0.03, 0.05, start=2002, classified=False),
    # not bèta/techniek
    _p("SPH", "34404", "B Sociaal Pedagogische Hulpverlening", G, False, False, 1.6, 0.85),
    _p("MWD", "34405", "B Maatschappelijk Werk en Dienstverlening", G, False, False, 1.3, 0.80),
    _p("VPK", "34560", "B Verpleegkunde", GZ, False, False, 3.0, 0.86, 0.02),
    _p("FYS", "34574", "B Fysiotherapie", GZ, False, False, 1.0, 0.55),
    _p("CE", "34410", "B Commerciële Economie", E, False, False, 2.2, 0.40),
    _p("BE", "34402", "B Bedrijfseconomie", E, False, False, 1.6, 0.35),
    _p("COMM", "34407", "B Communicatie", E, False, False, 1.0, 0.72),
    _p("PABO", "34808", "B Leraar Basisonderwijs", "onderwijs", False, False, 3.6, 0.86),
    # Missing from the classification too, but economie: must NOT be counted.
    _p("IBL", "34950", "B International Business and Languages", E, False, False, 0.8, 0.62,
       classified=False),
]

LNO = "landbouw en natuurlijke omgeving"
WO_PROGRAMMES = [
    # bèta/techniek
    _p("SK", "56860", "B Scheikunde", N, True, False, 1.2, 0.36, 0.03),
    _p("NK", "56984", "B Natuurkunde", N, True, False, 1.0, 0.15, 0.04),
    _p("WIS", "56980", "B Wiskunde", N, True, False, 0.8, 0.30, 0.04),
    _p("INFW", "56978", "B Informatica", N, True, True, 1.5, 0.08),
    _p("TIW", "56951", "B Technische Informatica", T, True, True, 1.4, 0.06),
    _p("KE", "56981", "B Kennistechnologie", N, True, True, 0.8, 0.15),
    _p("BIO", "56157", "B Biologie", N, True, False, 1.6, 0.56, 0.03),
    _p("MLW", "56158", "B Moleculaire Levenswetenschappen", N, True, False, 0.9, 0.55, 0.06),
    _p("AARD", "56986", "B Aardwetenschappen", N, True, False, 0.8, 0.35),
    _p("BG", "56990", "B Bèta-gamma", N, True, False, 0.7, 0.45, 0.08, master=False),
    _p("WTBW", "56954", "B Werktuigbouwkunde", T, True, False, 2.2, 0.07, 0.03),
    _p("ETW", "56953", "B Elektrotechniek", T, True, False, 1.4, 0.06),
    _p("CTW", "56952", "B Civiele Techniek", T, True, False, 1.2, 0.22, 0.02),
    _p("TNW", "56955", "B Technische Natuurkunde", T, True, False, 1.2, 0.11, 0.03),
    _p("STW", "56960", "B Scheikundige Technologie", T, True, False, 1.0, 0.28, 0.02),
    _p("LRW", "56961", "B Luchtvaart- en Ruimtevaarttechniek", T, True, False, 1.6, 0.09, 0.04),
    _p("BKW", "56962", "B Bouwkunde", T, True, False, 2.0, 0.42, 0.03),
    _p("TBKW", "56964", "B Technische Bedrijfskunde", T, True, False, 1.4, 0.20, 0.03),
    _p("IOW", "56965", "B Industrieel Ontwerpen", T, True, False, 1.5, 0.38, 0.05),
    _p("TWW", "56966", "B Technische Wiskunde", T, True, False, 0.7, 0.18, 0.02),
    # Onderdeel is landbouw, but the classification says bèta/techniek.
    _p("BIOT", "56835", "B Biotechnologie", LNO, True, False, 1.0, 0.50, 0.04),
    # not bèta/techniek
    _p("BNB", "56836", "B Bos- en Natuurbeheer", LNO, False, False, 0.8, 0.40),
    _p("RECHT", "50400", "B Rechtsgeleerdheid", "recht", False, False, 2.5, 0.60),
    _p("PSY", "56604", "B Psychologie", G, False, False, 2.2, 0.75, 0.02),
    _p("ECON", "50950", "B Economie en Bedrijfseconomie", E, False, False, 2.4, 0.30),
    _p("ECMTR", "50952", "B Econometrie en Operationele Research", E, False, False, 0.6, 0.20),
    _p("GEN", "56551", "B Geneeskunde", GZ, False, False, 1.8, 0.66),
    _p("NTC", "56813", "B Nederlandse Taal en Cultuur", "taal en cultuur", False, False, 0.5, 0.70),
]
PROGRAMME_BY_KEY = {p.key: p for p in HBO_PROGRAMMES + WO_PROGRAMMES}

# What each institution offers.  "27UM:" marks programmes that came with the
# merger of Hogeschool Vlissingen into Hogeschool Zeeland.
HBO_NON_BETA = "SPH MWD VPK FYS CE BE COMM PABO IBL"
HO_OFFER = {
    "30GB": "INF TI WTB ET TN BK CT TBK MECH CHEM TW " + HBO_NON_BETA,
    "28DN": "INF TI WTB ET BK CT LTV CHEM TBK " + HBO_NON_BETA,
    "21UI": "INF TI WTB ET CT BK CHEM TBK LTV MAR SPH MWD VPK FYS CE BE COMM PABO",
    "25DW": "INF TI WTB ET CT BK TN BML TBK SPH MWD VPK FYS CE BE COMM PABO IBL",
    "25BE": "INF TI WTB ET CT BK TN BML CHEM SPH VPK FYS CE BE COMM PABO",
    "23JB": "INF TI WTB ET CT BK CHEM TBK MECH SPH MWD VPK CE BE PABO IBL",
    "25KC": "INF TI WTB ET CT BK BML CHEM SPH MWD VPK FYS CE BE COMM PABO",
    "21WN": "INF WTB ET BK CT TBK SPH MWD VPK CE BE PABO",
    "21RI": "INF BML CHEM SPH VPK CE COMM PABO",
    "01MN": "INF TI WTB ET CT BK MAR CHEM SPH VPK CE BE PABO",
    "07GR": "INF TI WTB ET LUCHT CT BK CHEM BML SPH MWD VPK FYS CE BE COMM PABO IBL",
    "27UB": "INF TI WTB ET TBK CT SPH MWD VPK FYS CE BE COMM PABO",
    "25KB": "INF LTV CE COMM",
    "00IC": "INF TI WTB ET CT BK CHEM BML TBK MECH SPH MWD VPK FYS CE BE COMM PABO",
    "02DG": "INF TI WTB ET CT BK CHEM BML SPH VPK FYS CE BE COMM PABO",
    "22OJ": "INF CT CHEM SPH VPK 27UM:WTB 27UM:ET 27UM:MAR 27UM:BE",
    "21PB": "SK NK WIS INFW BIO RECHT PSY NTC GEN",
    "21PC": "RECHT ECON ECMTR PSY GEN",
    "21PD": "BIOT MLW BIO SK BNB ECON",
    "21PE": "SK NK WIS INFW BIO AARD MLW RECHT PSY ECON GEN NTC",
    "21PF": "WTBW ETW CTW TNW STW LRW BKW TBKW IOW TWW TIW AARD",
    "21PG": "WTBW ETW TNW STW BKW TBKW IOW TWW TIW",
    "21PH": "WTBW ETW CTW TNW STW TBKW IOW TWW TIW PSY",
    "21PI": "KE GEN RECHT PSY ECON",
    "21PJ": "SK NK WIS INFW BIO TNW AARD RECHT PSY ECON ECMTR GEN NTC",
    "21PK": "SK NK WIS INFW BIO BG RECHT PSY ECON ECMTR GEN NTC",
    "21PL": "SK NK WIS INFW BIO AARD RECHT PSY ECON ECMTR GEN",
    "21PM": "SK NK WIS INFW BIO MLW RECHT PSY ECON GEN NTC",
    "21PN": "RECHT ECON ECMTR PSY NTC",
}

VORM_LONG = {"VT": "voltijd onderwijs", "DT": "deeltijd onderwijs", "DU": "duaal onderwijs"}
VORM_SIZE = {"VT": 1.0, "DT": 0.15, "DU": 0.08}


def counts_as_beta(prog: Programme) -> bool:
    """Classification first; an unclassified code falls back to its onderdeel."""
    if prog.classified:
        return prog.betatechniek
    return prog.onderdeel in ("natuur", "techniek")


def target_group(prog: Programme) -> str:
    """The calibration group of ``calibration.HO_TARGETS``: informatica, other bèta/techniek, rest."""
    if not counts_as_beta(prog):
        return "other"
    return "inf" if prog.classified and prog.informatica else "beta"
