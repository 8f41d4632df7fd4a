"""Who exists: the institution record, the fixed list of hogescholen and universities, the towns
that schools are placed in, and the vestigingen of a vo/vmbo school."""
from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    soort: str            # po / vo / vmbo / mbo / hbo / wo
    provincie: str
    gemeentenummer: str
    gemeentenaam: str
    size: float = 1.0     # relative size, drives the generated counts
    opgegaan_in: str = ""
    per_jaar: int | None = None


HO_INSTITUTIONS = [
    # --- universities (wo) ---
    Institution("21PB", "Universiteit Leiden", "wo", "Zuid-Holland", "0546", "LEIDEN", 0.8),
    Institution("21PC", "Erasmus Universiteit Rotterdam", "wo", "Zuid-Holland", "0599", "ROTTERDAM", 1.0),
    Institution("21PD", "Wageningen Universiteit", "wo", "Gelderland", "0289", "WAGENINGEN", 0.7),
    Institution("21PE", "Universiteit Utrecht", "wo", "Utrecht", "0344", "UTRECHT", 1.1),
    Institution("21PF", "Technische Universiteit Delft", "wo", "Zuid-Holland", "0503", "DELFT", 2.0),
    Institution("21PG", "Technische Universiteit Eindhoven", "wo", "Noord-Brabant", "0772", "EINDHOVEN", 1.2),
    Institution("21PH", "Universiteit Twente", "wo", "Overijssel", "0153", "ENSCHEDE", 1.0),
    Institution("21PI", "Universiteit Maastricht", "wo", "Limburg", "0935", "MAASTRICHT", 0.7),
    Institution("21PJ", "Rijksuniversiteit Groningen", "wo", "Groningen", "0014", "GRONINGEN", 1.0),
    Institution("21PK", "Universiteit van Amsterdam", "wo", "Noord-Holland", "0363", "AMSTERDAM", 1.0),
    Institution("21PL", "Vrije Universiteit Amsterdam", "wo", "Noord-Holland", "0363", "AMSTERDAM", 0.8),
    Institution("21PM", "Radboud Universiteit Nijmegen", "wo", "Gelderland", "0268", "NIJMEGEN", 0.8),
    Institution("21PN", "Universiteit van Tilburg", "wo", "Noord-Brabant", "0855", "TILBURG", 0.8),
    # --- hogescholen (hbo) ---
    Institution("00IC", "Avans Hogeschool", "hbo", "Noord-Brabant", "0758", "BREDA", 1.2),
    Institution("01MN", "Noordelijke Hogeschool Leeuwarden", "hbo", "Friesland", "0080", "LEEUWARDEN", 0.8),
    Institution("02DG", "Hogeschool Zuyd", "hbo", "Limburg", "0917", "HEERLEN", 0.9),
    Institution("07GR", "Hogeschool INHOLLAND", "hbo", "Noord-Holland", "0392", "HAARLEM", 1.1),
    Institution("21RI", "Hogeschool Leiden", "hbo", "Zuid-Holland", "0546", "LEIDEN", 0.6),
    Institution("21UI", "Hogeschool Rotterdam", "hbo", "Zuid-Holland", "0599", "ROTTERDAM", 1.5),
    Institution("21WN", "Christelijke Hogeschool Windesheim", "hbo", "Overijssel", "0193", "ZWOLLE", 0.9),
    Institution("22OJ", "Hogeschool Zeeland", "hbo", "Zeeland", "0718", "VLISSINGEN", 0.6),
    Institution("23JB", "Saxion Hogescholen", "hbo", "Overijssel", "0153", "ENSCHEDE", 1.1),
    Institution("25BE", "Hanzehogeschool Groningen", "hbo", "Groningen", "0014", "GRONINGEN", 1.2),
    Institution("25DW", "Hogeschool Utrecht", "hbo", "Utrecht", "0344", "UTRECHT", 1.4),
    Institution("25KB", "NHTV Internationaal Hoger Onderwijs Breda", "hbo", "Noord-Brabant", "0758", "BREDA", 0.5),
    Institution("25KC", "Hogeschool van Arnhem en Nijmegen", "hbo", "Gelderland", "0202", "ARNHEM", 1.2),
    Institution("27UB", "De Haagse Hogeschool", "hbo", "Zuid-Holland", "0518", "'S-GRAVENHAGE", 1.1),
    Institution("28DN", "Hogeschool van Amsterdam", "hbo", "Noord-Holland", "0363", "AMSTERDAM", 1.5),
    Institution("30GB", "Fontys Hogescholen", "hbo", "Noord-Brabant", "0772", "EINDHOVEN", 1.6),
    # Merged into Hogeschool Zeeland: old deliveries still carry 27UM before 2002.
    Institution("27UM", "Hogeschool Vlissingen", "hbo", "Zeeland", "0718", "VLISSINGEN", 0.0,
                opgegaan_in="22OJ", per_jaar=2002),
]
INSTITUTION_BY_CODE = {i.code: i for i in HO_INSTITUTIONS}


# Province names as the seed dbt_project/seeds/provinces.csv declares them (official CBS names). The
# sample's older files write DUO's older spelling (`Friesland`), newer ones the official one.
OFFICIAL_PROVINCE = {"Friesland": "Fryslân"}


def official_province(provincie: str) -> str:
    return OFFICIAL_PROVINCE.get(provincie, provincie)


# The municipality a town lay in when the sample's files were delivered (2005-2008), where it is not
# the town's own name. Towns that were municipalities then and have merged since (Sneek, Veghel,
# Spijkenisse, Delfzijl, Winschoten) keep their name: the exam files name them, and
# reference/gemeenten.csv leads them to today's municipality (opgegaan_in).
TOWN_GEMEENTE = {"Zaandam": "Zaanstad", "Drachten": "Smallingerland", "Emmeloord": "Noordoostpolder",
                 "Sittard": "Sittard-Geleen"}


@dataclass(frozen=True)
class Town:
    name: str          # as written in names; DUO files use the upper-case form
    provincie: str
    weight: float      # rough size: how many schools it gets

    @property
    def upper(self) -> str:
        return self.name.upper()

    @property
    def gemeente(self) -> str:
        """The municipality (then) as DUO's files name it: GEMEENTENAAM."""
        return TOWN_GEMEENTE.get(self.name, self.name)


TOWNS = [Town(*t) for t in [
    ("Amsterdam", "Noord-Holland", 7), ("Haarlem", "Noord-Holland", 2.5), ("Alkmaar", "Noord-Holland", 2),
    ("Hilversum", "Noord-Holland", 1.5), ("Zaandam", "Noord-Holland", 2), ("Hoorn", "Noord-Holland", 1.2),
    ("Den Helder", "Noord-Holland", 1), ("Purmerend", "Noord-Holland", 1.2),
    ("Rotterdam", "Zuid-Holland", 6.5), ("'s-Gravenhage", "Zuid-Holland", 5), ("Leiden", "Zuid-Holland", 2),
    ("Dordrecht", "Zuid-Holland", 2), ("Delft", "Zuid-Holland", 1.5), ("Gouda", "Zuid-Holland", 1.2),
    ("Schiedam", "Zuid-Holland", 1), ("Zoetermeer", "Zuid-Holland", 1.8), ("Spijkenisse", "Zuid-Holland", 1),
    ("Alphen aan den Rijn", "Zuid-Holland", 1.2),
    ("Utrecht", "Utrecht", 4), ("Amersfoort", "Utrecht", 2), ("Zeist", "Utrecht", 1.2),
    ("Nieuwegein", "Utrecht", 1), ("Veenendaal", "Utrecht", 1),
    ("Arnhem", "Gelderland", 2.2), ("Nijmegen", "Gelderland", 2.5), ("Apeldoorn", "Gelderland", 2.2),
    ("Ede", "Gelderland", 1.5), ("Doetinchem", "Gelderland", 1), ("Zutphen", "Gelderland", 0.8),
    ("Tiel", "Gelderland", 0.7), ("Harderwijk", "Gelderland", 0.8),
    ("Zwolle", "Overijssel", 2), ("Enschede", "Overijssel", 2.2), ("Deventer", "Overijssel", 1.5),
    ("Hengelo", "Overijssel", 1.2), ("Almelo", "Overijssel", 1),
    ("Groningen", "Groningen", 2.5), ("Stadskanaal", "Groningen", 0.7), ("Winschoten", "Groningen", 0.6),
    ("Delfzijl", "Groningen", 0.5),
    ("Leeuwarden", "Friesland", 1.5), ("Sneek", "Friesland", 0.8), ("Heerenveen", "Friesland", 0.8),
    ("Drachten", "Friesland", 0.8),
    ("Assen", "Drenthe", 1), ("Emmen", "Drenthe", 1.2), ("Meppel", "Drenthe", 0.6), ("Hoogeveen", "Drenthe", 0.8),
    ("Almere", "Flevoland", 2), ("Lelystad", "Flevoland", 1), ("Emmeloord", "Flevoland", 0.6),
    ("Middelburg", "Zeeland", 0.8), ("Vlissingen", "Zeeland", 0.7), ("Goes", "Zeeland", 0.8),
    ("Terneuzen", "Zeeland", 0.7),
    ("Eindhoven", "Noord-Brabant", 3), ("Tilburg", "Noord-Brabant", 2.8), ("Breda", "Noord-Brabant", 2.5),
    ("'s-Hertogenbosch", "Noord-Brabant", 2), ("Helmond", "Noord-Brabant", 1.2), ("Oss", "Noord-Brabant", 1.2),
    ("Roosendaal", "Noord-Brabant", 1), ("Bergen op Zoom", "Noord-Brabant", 0.9), ("Veghel", "Noord-Brabant", 0.7),
    ("Maastricht", "Limburg", 1.8), ("Heerlen", "Limburg", 1.5), ("Venlo", "Limburg", 1.5),
    ("Roermond", "Limburg", 1), ("Sittard", "Limburg", 1), ("Weert", "Limburg", 0.7), ("Kerkrade", "Limburg", 0.7),
]]
TOWN_BY_NAME = {t.name: t for t in TOWNS}


def pick_town(rng: random.Random) -> Town:
    return rng.choices(TOWNS, weights=[t.weight for t in TOWNS])[0]


@dataclass(frozen=True)
class Branch:
    """A vestiging of a vo or vmbo school."""

    number: str                       # "01" (vo) / "00" (vmbo)
    name: str
    town: Town
    share: float                      # part of the school's pupils
    origin: Institution | None = None  # school that merged into this one (see schools.VO_MERGER_YEAR)


@dataclass(frozen=True)
class School:
    inst: Institution
    branches: tuple[Branch, ...]
    types: tuple[str, ...] = ()       # vo: HAVO and/or VWO
    size: float = 1.0                 # vo: relative size of the school
