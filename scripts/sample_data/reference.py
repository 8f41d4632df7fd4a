"""The reference files in ``raw/reference/``: the CROHO classification and the institutions."""
from __future__ import annotations

from pathlib import Path

from .ho_programmes import HBO_PROGRAMMES, WO_PROGRAMMES
from .institutions import Institution, official_province
from .writers import write_reference_csv

SOORT_ORDER = {"po": 0, "vo": 1, "vmbo": 2, "mbo": 3, "hbo": 4, "wo": 5}


def write_croho_classification(raw_dir: Path) -> Path:
    """Every programme code the HO datasets use, except the deliberately unclassified ones (the
    pipeline must fall back to their onderdeel); wo graduates appear under their master code."""
    out = {}
    for prog, sector in [(p, "hbo") for p in HBO_PROGRAMMES] + [(p, "wo") for p in WO_PROGRAMMES]:
        if not prog.classified:
            continue
        datasets = ["ho_eerstejaars"] + (["ho_gediplomeerden"] if sector == "wo" and prog.master else [])
        for ds in datasets:
            code, name = prog.code_for(ds, sector)
            out[code] = [code, name, prog.onderdeel, "J" if prog.betatechniek else "N",
                         "J" if prog.informatica else "N"]
    path = raw_dir / "reference" / "croho_classification.csv"
    write_reference_csv(path, ["opleidingscode", "opleidingsnaam", "onderdeel", "betatechniek", "informatica"],
                        [out[c] for c in sorted(out)])
    return path


# soorten whose province institutions.csv states (the optional last column `provincie`, official names);
# po schools leave it empty. mbo files carry no geography at all: there it is the only source.
PROVINCE_SOORTEN = {"vo", "vmbo", "mbo", "hbo", "wo"}


def write_institutions(raw_dir: Path, institutions: list[Institution]) -> Path:
    """Every institution by soort and code; a merged-away one names its survivor and the year; the
    institution's province (by its main location) for every soort but po."""
    rows = [[i.code, i.name, i.soort, i.opgegaan_in, "" if i.per_jaar is None else str(i.per_jaar),
             official_province(i.provincie) if i.soort in PROVINCE_SOORTEN else ""]
            for i in sorted(institutions, key=lambda i: (SOORT_ORDER[i.soort], i.code))]
    path = raw_dir / "reference" / "institutions.csv"
    write_reference_csv(path, ["instellingscode", "naam", "soort", "opgegaan_in", "per_jaar", "provincie"], rows)
    return path
