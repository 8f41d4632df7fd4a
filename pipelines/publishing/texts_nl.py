"""Every Dutch text of the publication that is not a column's label or description, declared once.

Column labels and descriptions, and each mart's Dutch title and description, live beside the column in
the dbt YAML `meta` (dbt_project/models/marts/_marts.yml) and reach the site through metadata.json.
What is here: the readable names of the codes in the data (`non_participants`, `ANY`, measures), the
symbols, the footnotes per mart (the fixed ones and those a run's data adds), the suppression reasons,
the units, the reasons cells were not counted, the note on CSV escaping and the "what changed" reasons.
metadata.json and the data packages (assets/publish.py, metadata.py, publisher.py), the site and
`betamonitor diff` read them from here; nothing else translates.
"""

from __future__ import annotations

import re

# --- codes in the data ------------------------------------------------------------------------------------

CODE_LABELS = {
    # measures
    "instroom": "instroom", "uitstroom": "uitstroom",
    "instroom_excl_informatica": "instroom zonder informatica",
    "uitstroom_excl_informatica": "uitstroom zonder informatica",
    "uitstroom_tl": "uitstroom theoretische leerweg",
    # program groups
    "participants": "deelnemers", "non_participants": "niet-deelnemers",
    "ANY": "elk programma",
    # gender_shares
    "share_women": "aandeel vrouwen", "share_n_profiel": "aandeel met een natuurprofiel",
    "totaal": "totaal", "man": "man", "vrouw": "vrouw",
    "all schools": "alle scholen", "ANY participants": "deelnemers aan een programma",
    # sectors
    "ho": "ho (hbo en wo)", "havo_vwo": "havo en vwo",
}
_PARTICIPANTS = re.compile(r"^(?P<program>.+) participants$")


def code_label(value: str) -> str:
    """The readable Dutch name of a code in the data; other values (names, numbers) as they are."""
    if value in CODE_LABELS:
        return CODE_LABELS[value]
    m = _PARTICIPANTS.match(value or "")
    if m:
        return f"deelnemers aan {m.group('program')}"
    return value


# --- symbols ---------------------------------------------------------------------------------------------

PROVISIONAL = "voorlopig cijfer"
PROVISIONAL_TEXT = ("voorlopig cijfer: het nieuwste jaar van de DUO-levering waar het uit komt; een latere "
                    "levering kan het nog herzien.")
EMPTY_TEXT = "leeg: niet van toepassing of geheim (zie de kolom Geheimhouding)."
CONFIDENTIAL = "geheim: niet gepubliceerd om herleidbaarheid naar personen te voorkomen"

SYMBOLS = {  # per mart: symbol -> meaning; "" is the empty cell
    "sector_growth": {"": "leeg: niet van toepassing (voor deze stroom geldt geen streefwaarde)."},
    "program_growth": {"": "leeg: niet van toepassing."},
    "gender_shares": {"": "leeg: niet van toepassing (geen populatie)."},
    "institution_growth": {"c": f"{CONFIDENTIAL} (zie de voetnoten).",
                           "": "leeg: geheim (teken c) of niet van toepassing."},
    "regional_growth": {"c": f"{CONFIDENTIAL} (zie de voetnoten).",
                        "": "leeg: geheim (teken c), niet van toepassing of geen gegevens over het basisjaar."},
    "audit_outcomes": {"": "leeg: niet van toepassing."},
    "audit_judgements": {"c": f"{CONFIDENTIAL} (zie Benchmark per instelling).",
                         "": "leeg: geheim of geen benchmarkcijfer (zie de opmerking)."},
    "participation_counts": {"": "leeg: niet van toepassing."},
}

SUPPRESSION_REASONS = [
    (re.compile(r"^primary: baseline rests on fewer than (\d+) persons$"),
     r"het cijfer van het basisjaar berust op minder dan \1 personen"),
    (re.compile(r"^primary: rests on fewer than (\d+) persons$"), r"het cijfer berust op minder dan \1 personen"),
    (re.compile(r"^secondary: protects another suppressed figure from differencing$"),
     "aanvullend geheim: anders is een ander geheim cijfer uit het sectortotaal terug te rekenen"),
    (re.compile(r"^secondary: its part (.+) is suppressed$"),
     r"aanvullend geheim: het cijfer van \1 in deze provincie is geheim en zou anders terug te rekenen zijn"),
]


def suppression_reason(text: str) -> str:
    for pattern, dutch in SUPPRESSION_REASONS:
        if pattern.match(text or ""):
            return pattern.sub(dutch, text)
    return text


# --- footnotes -------------------------------------------------------------------------------------------

_POPULATIONS = ("Geteld wordt alleen bèta/techniek: in hbo en wo de instroom en uitstroom in bèta/techniek-"
                "opleidingen volgens de CROHO-indeling; in het mbo de sector techniek; in havo en vwo de "
                "leerlingen in leerjaar 4 met een natuurprofiel (NT, NG of NT/NG); in het vmbo de "
                "examenkandidaten in de sector techniek.")
_PARTICIPATION = ("Een instelling neemt in jaar J deel aan een programma als J binnen de deelnameperiode valt. "
                  "Gefuseerde instellingen tellen onder de code van de instelling die blijft bestaan.")
_COMMON = [
    "DUO schermt aantallen van 1 tot en met 4 af. Zo'n aantal telt als 2,5 in de puntschatting, als 1 in de "
    "ondergrens en als 4 in de bovengrens; de kolom Afgeschermde cellen geeft aan hoeveel het er zijn.",
    "Het jaar is het beginjaar van het studie- of schooljaar (2007 staat voor 2007/2008).",
    "Elk jaar komt uit de nieuwste DUO-levering met dat jaar. Het nieuwste jaar van een levering is voorlopig "
    "(kolom Voorlopig; op de site teken *).",
    "Indexcijfers en percentages zijn één keer afgerond, op één decimaal, half van nul af.",
]
FOOTNOTES = {
    "sector_growth": [_POPULATIONS, *_COMMON,
                      "Index = 100 × aantal / aantal in het basisjaar; groei = index − 100.",
                      "De stromen zonder informatica laten de informaticaopleidingen weg: hun instroom schommelt "
                      "sterk.",
                      "Streefwaarde: +15% ten opzichte van 2000, voor de instroom in hbo, wo en ho in 2007, voor de "
                      "uitstroom en de overige sectoren in 2010."],
    "program_growth": [_POPULATIONS, _PARTICIPATION, *_COMMON,
                       "Voor jaar J: de instellingen die in J deelnemen (deelnemers) en de andere instellingen van "
                       "de sector (niet-deelnemers). De waarde van elke groep in J wordt vergeleken met die van "
                       "dezelfde instellingen in het basisjaar; alleen instellingen met cijfers in beide jaren tellen.",
                       "Elk programma: deelname aan een willekeurig programma van het Platform in de sector (havo en "
                       "vwo: Universum of Jet-Net)."],
    "gender_shares": [_POPULATIONS, _PARTICIPATION, *_COMMON,
                      "Aandeel vrouwen: het aandeel vrouwen in de getelde populatie (alle instellingen).",
                      "Aandeel met een natuurprofiel: havo en vwo leerjaar 4, de leerlingen met een natuurprofiel "
                      "onder alle leerlingen van dat geslacht (totaal: beide), voor alle scholen en voor de scholen "
                      "die dat jaar aan een programma deelnemen.",
                      "Aandelen zijn berekend uit de puntschattingen (een afgeschermd aantal telt als 2,5)."],
    "institution_growth": [_POPULATIONS, *_COMMON,
                           "Gefuseerde instellingen staan voor alle jaren onder de code van de instelling die blijft "
                           "bestaan, zodat elke reeks vergelijkbaar is.",
                           "Geheimhouding: een cijfer dat (in het jaar of in het basisjaar) op minder dan "
                           "{min_count} personen berust, wordt niet gepubliceerd; een geheim basisjaar maakt de hele "
                           "reeks geheim. Is in een sector, stroom en jaar maar één cijfer geheim, dan wordt ook het "
                           "kleinste andere cijfer geheim gehouden, zodat het niet uit het sectortotaal is terug te "
                           "rekenen. Geheime cijfers zijn leeg, met teken c in de kolom Geheimhouding.",
                           "Rang: de plaats op indexcijfer (hoogste groei eerst) onder de gepubliceerde cijfers van de "
                           "sector, stroom en het jaar. Gelijke indexcijfers delen een rang en de volgende rang "
                           "wordt overgeslagen (1, 2, 2, 4). In het basisjaar is elk indexcijfer 100: daar is er "
                           "geen rang."],
    "regional_growth": [_POPULATIONS, *_COMMON,
                        "Index = 100 × aantal / aantal in het basisjaar; groei = index − 100.",
                        "Provincie: die uit de eigen kolom van het DUO-bestand (de provincie van de vestiging of "
                        "de opleiding); anders die van de gemeente (gemeentenummer of gemeentenaam); anders die van "
                        "de instelling. Gemeenten die sinds het basisjaar zijn opgegaan in een andere gemeente, "
                        "tellen in de provincie van die gemeente: de gemeentelijke indeling van 1 januari 2025.",
                        "De provincies van een sector, stroom en jaar tellen samen met de rij onbekend (geen provincie "
                        "gevonden) op "
                        "tot het cijfer in de tabel per sector.",
                        "Geheimhouding: een cijfer dat (in het jaar of in het basisjaar) op minder dan "
                        "{min_count} personen berust, wordt niet gepubliceerd; een geheim basisjaar maakt de hele "
                        "reeks geheim. Heeft de sector in het basisjaar geen cijfer, dan staan de aantallen er zonder "
                        "indexcijfer. Is in een sector, stroom en jaar maar één provincie geheim, dan wordt ook de "
                        "kleinste andere provincie geheim gehouden, zodat het cijfer niet uit het sectortotaal is "
                        "terug te rekenen. Is een provincie in hbo of wo geheim, dan ook in ho (en zo voor havo, vwo "
                        "en havo en vwo samen). Geheime cijfers zijn leeg, met teken c in de kolom Geheimhouding."],
    "audit_outcomes": ["Uit de werkmappen van de auditcommissies. Het oordeel twijfelachtig telt als twijfel. "
                       "Gefuseerde instellingen tellen onder de code van de instelling die blijft bestaan.",
                       "Twijfel of negatief is het cijfer dat het Platform rapporteert."],
    "audit_judgements": ["De groeicijfers komen uit de benchmark per instelling voor het auditjaar en houden "
                         "dezelfde geheimhouding (teken c).",
                         "De benchmarksector van een programma is zijn breedste sector (havo en vwo voor Universum "
                         "en Jet-Net)."],
    "participation_counts": [_PARTICIPATION, "Nieuw: instellingen waarvan de deelname in dat jaar begint."],
}
_SERIES_BREAK = [
    (re.compile(r"^vmbo uitstroom_tl is not available for ([\d, ]+): .*$"),
     r"De vmbo-uitstroom in de theoretische leerweg ontbreekt voor \1: DUO gaf tot schooljaar 2017-2018 geen "
     r"sector voor deze examenkandidaten. Die jaren hebben geen cijfer (geen 0) en kunnen geen basisjaar zijn."),
    (re.compile(r"^vmbo uitstroom_tl (\d+): ([\d.]+) VMBO T candidates without a sector are left out\.$"),
     r"Vmbo-uitstroom theoretische leerweg \1: \2 examenkandidaten zonder sector zijn niet meegeteld."),
]


def static_footnotes(mart: str, min_count: int | str = 10) -> list[str]:
    """The fixed Dutch footnotes of a mart (metadata.json gives them first, then the data's own)."""
    return [n.replace("{min_count}", str(min_count)) for n in FOOTNOTES.get(mart, [])]


def _is_static(text: str, mart: str) -> bool:
    return any(re.fullmatch(re.escape(t).replace(re.escape("{min_count}"), r"\d+"), text)
               for t in FOOTNOTES.get(mart, []))


def footnotes(mart: str, published: list[str], min_count: int | str = 10) -> list[str]:
    """The Dutch footnotes of a published version. Versions written since the footnotes are Dutch in
    metadata.json (their first note is one of the mart's fixed notes): the published notes as they are.
    Older versions (English notes): the fixed Dutch notes, and of the published ones the data-dependent
    series-break notes, translated."""
    if published and _is_static(published[0], mart):
        return list(published)
    notes = static_footnotes(mart, min_count)
    for text in published:
        for pattern, dutch in _SERIES_BREAK:
            if pattern.match(text):
                notes.append(pattern.sub(dutch, text))
    return notes


# The footnotes a run's data adds (metadata.json); the English patterns above read older versions.

def series_break_missing(years: list[int]) -> str:
    return (f"De vmbo-uitstroom in de theoretische leerweg ontbreekt voor {', '.join(map(str, years))}: DUO gaf tot "
            "schooljaar 2017-2018 geen sector voor deze examenkandidaten. Die jaren hebben geen cijfer (geen 0) en "
            "kunnen geen basisjaar zijn.")


def series_break_left_out(year: int, n: float) -> str:
    return (f"Vmbo-uitstroom theoretische leerweg {year}: {n:g} examenkandidaten zonder sector zijn niet "
            "meegeteld.")


def unclassified_programme(code: str, name: str, onderdeel: str, counted: bool) -> str:
    return (f"Opleiding {code} ({name}, onderdeel {onderdeel}) staat niet in de CROHO-indeling; zij telt "
            f"{'als' if counted else 'niet als'} bèta/techniek op grond van haar onderdeel (natuur of techniek "
            "telt wel, andere onderdelen niet).")


def without_baseline(sector: str, measure: str, baseline_year: int, first_year: int, last_year: int) -> str:
    return (f"{code_label(sector).capitalize()}, {code_label(measure)}: er zijn geen gegevens over het basisjaar "
            f"{baseline_year} (wel over {first_year}-{last_year}), dus het indexcijfer en de groei zijn leeg.")


# Why HO cells of a programme or diploma type are not counted (seed ho_programme_types, column reason).
NOT_COUNTED_REASONS = {
    "a master follows a bachelor: its students entered higher education earlier":
        "een master volgt op een bachelor: de studenten zijn eerder in het hoger onderwijs ingestroomd",
    "most wo bachelors go on to a master: counting both would double count and break the series at the "
    "bachelor-master switch":
        "de meeste wo-bachelors gaan door met een master: beide tellen zou dubbel tellen en de reeks breken bij "
        "de overgang naar bachelor en master",
    "not an initial degree": "geen initieel diploma",
    "a postmaster follows a master: not an entry into higher education":
        "een postmaster volgt op een master: geen instroom in het hoger onderwijs",
}


def not_counted_reason(text: str) -> str:
    """'master: a master follows a bachelor: …' (int_ho_excluded_by_type) in Dutch; unknown text as is."""
    kind, _, why = (text or "").partition(": ")
    return f"{kind}: {NOT_COUNTED_REASONS[why]}" if why in NOT_COUNTED_REASONS else text


# --- metadata.json and the data packages ---------------------------------------------------------------

# data.csv's escaping of text cells a spreadsheet would run as a formula (csv_safety.py).
CSV_ESCAPING = ("data.csv: een tekstcel die begint met =, +, -, @, een tab- of een CR-teken krijgt een ' ervoor, "
                "zodat een rekenblad (zoals Excel) haar als tekst toont en niet als formule uitvoert (CSV-injectie, "
                "zie OWASP). Getallen blijven ongewijzigd; data.parquet bevat de oorspronkelijke tekst.")


def metadata_symbols(mart: str) -> dict[str, str]:
    """metadata.json `symbols`: symbol -> meaning in Dutch; the empty cell under its key `empty cell`."""
    return {sym or "empty cell": meaning for sym, meaning in SYMBOLS.get(mart, {"": EMPTY_TEXT}).items()}


# --- what changed ----------------------------------------------------------------------------------------

KIND = {"changed": "herzien", "added": "nieuw", "removed": "vervallen"}

REASONS = [("provisional year made final", "voorlopig jaar definitief geworden"),
           ("restated by a newer delivery", "herzien door een nieuwere levering"),
           ("counting rule: reference or program file changed", "telregel: referentie- of programmabestand gewijzigd"),
           ("code changed", "berekening gewijzigd"), ("reason unknown", "reden onbekend"), ("new year", "nieuw jaar"),
           ("new figure", "nieuw cijfer"), ("figure removed", "cijfer vervallen"), ("delivery of", "levering van"),
           (" replaces ", " vervangt "), ("baseline year", "basisjaar"), (" restated", " herzien"), (" -> ", " → ")]


def reason(text: str) -> str:
    """A reason of pipelines/publishing/diff.change_reason in Dutch."""
    for en, nl in REASONS:
        text = text.replace(en, nl)
    return text


# --- numbers ---------------------------------------------------------------------------------------------

def nl_number(text: str, grouping: bool = True) -> str:
    """'1234.5' -> '1.234,5'; '-4.0' -> '-4,0'. Text that is not a number is returned as is."""
    if not re.fullmatch(r"-?\d+(\.\d+)?", text or ""):
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    if grouping and len(whole) > 3:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + frac if frac else "")


# --- the metadata in words -------------------------------------------------------------------------------

UNITS = {"boolean": "ja/nee", "cells": "cellen", "code": "code", "date": "datum", "index": "indexcijfer (basisjaar = 100)",
         "institutions": "instellingen", "path": "bestand", "percent": "procent", "persons": "personen", "rank": "rang",
         "row": "rij", "symbol": "teken", "text": "tekst", "year": "jaar"}


def unit(text: str | None) -> str:
    """A column's unit (dbt meta `unit`) in Dutch."""
    text = (text or "").strip()
    if text.startswith("index"):
        return UNITS["index"]
    return UNITS.get(text, text)


ROLES = {"filter": "indeling", "indicator": "cijfer"}
INPUT_KINDS = {"delivery": "DUO-levering", "reference": "referentiebestand", "programs": "programmabestand",
               "program": "programmabestand", "audits": "auditwerkmap", "audit": "auditwerkmap"}


def sql_type(text: str | None) -> str:
    t = (text or "").upper()
    if t.startswith("DECIMAL") or t in ("DOUBLE", "FLOAT", "REAL"):
        return "getal"
    if t in ("INTEGER", "BIGINT", "SMALLINT", "HUGEINT", "TINYINT"):
        return "geheel getal"
    if t == "BOOLEAN":
        return "ja/nee"
    if t == "DATE":
        return "datum"
    return "tekst" if t in ("VARCHAR", "TEXT", "") else t.lower()
