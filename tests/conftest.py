"""Shared test fixtures: tiny, hand-computable raw directories in both DUO layouts."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DAGSTER_TELEMETRY_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("BETAMONITOR_LOG_LEVEL", "WARNING")
# Each test's runs use the Dagster instance beside its own warehouse, never a developer's DAGSTER_HOME.
os.environ.pop("DAGSTER_HOME", None)

W_HEADER = ("PROVINCIE;GEMEENTENUMMER;GEMEENTENAAM;SOORT INSTELLING;TYPE HOGER ONDERWIJS;BRIN NUMMER ACTUEEL;"
            "INSTELLINGSNAAM ACTUEEL;CROHO ONDERDEEL;CROHO SUBONDERDEEL;OPLEIDINGSCODE ACTUEEL;"
            "OPLEIDINGSNAAM ACTUEEL;OPLEIDINGSVORM;OPLEIDINGSFASE ACTUEEL")
L_HEADER = ["STUDIEJAAR", "PROVINCIENAAM", "GEMEENTENUMMER", "GEMEENTENAAM", "SOORT_INSTELLING",
            "TYPE_HOGER_ONDERWIJS", "INSTELLINGSCODE_ACTUEEL", "INSTELLINGSNAAM_ACTUEEL", "ONDERDEEL",
            "SUBONDERDEEL", "OPLEIDINGSCODE_ACTUEEL", "OPLEIDINGSNAAM_ACTUEEL", "OPLEIDINGSVORM", "GESLACHT", "AANTAL"]

# (sector, code, name, onderdeel): 50002 is informatica, 50003 is not bèta/techniek.
PROGRAMMES = {
    ("hbo", "50001"): ("30AA", "Hogeschool Bèta", "B Werktuigbouwkunde", "techniek"),
    ("hbo", "50002"): ("30AA", "Hogeschool Bèta", "B Informatica", "techniek"),
    ("hbo", "50003"): ("30AA", "Hogeschool Bèta", "B Bedrijfskunde", "economie"),
    ("wo", "50001"): ("21BB", "Universiteit Delta", "B Werktuigbouwkunde", "techniek"),
}


def write_wide(path: Path, years: list[int], rows: dict[tuple[str, str], list[tuple[str, str]]]) -> Path:
    """W layout: `;`, cp1252, CRLF, counts as given (text), a footer. rows: (sector, code) -> [(man, vrouw)]."""
    header = W_HEADER + "".join(f";{y} MAN;{y} VROUW" for y in years)
    lines = [header]
    for (sector, code), counts in rows.items():
        inst, inst_name, name, onderdeel = PROGRAMMES[(sector, code)]
        dims = ["Utrecht", "0344", "UTRECHT", "reguliere inst.", sector, inst, inst_name, onderdeel,
                f"n.v.t. ({onderdeel})", code, name, "voltijd onderwijs", "bachelor"]
        lines.append(";".join(dims + [c for pair in counts for c in pair]))
    lines += ["", "Bron: DUO, open onderwijsdata", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes("\r\n".join(lines).encode("cp1252"))
    return path


def write_long(path: Path, rows: list[tuple[int, str, str, str, str]]) -> Path:
    """L layout: `,`, UTF-8 with BOM, quoted text. rows: (year, sector, code, gender, count)."""
    out = io.StringIO()
    out.write(",".join(f'"{h}"' for h in L_HEADER) + "\r\n")
    for year, sector, code, gender, count in rows:
        inst, inst_name, name, onderdeel = PROGRAMMES[(sector, code)]
        fields = ["UTRECHT", "0344", "UTRECHT", "REGULIERE INST.", sector.upper(), inst, inst_name,
                  onderdeel.upper(), f"N.V.T. ({onderdeel.upper()})", code, name, "VT", gender]
        out.write(f"{year}," + ",".join(f'"{f}"' for f in fields) + f",{count}\r\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def write_small_raw(root: Path) -> Path:
    """Two overlapping eerstejaars vintages (W 2000-2002, L 2001-2003) and one gediplomeerden delivery.

    Hand-computed results (see tests/e2e/test_nightly_job.py):
      hbo instroom 2000 = 100+10+50+5 = 165; 2001 (L wins) = 111 + 2.5 + 40 + 4 = 157.5; 2003 = 165
      wo instroom 2000 = 1200; 2003 = 1560 -> +30.0%; ho 2003 = 1725 vs 1365 -> index 126.4
    """
    duo = root / "duo"
    write_wide(duo / "ho_eerstejaars" / "2003-03-15_eerstejaars_ho.csv", [2000, 2001, 2002], {
        ("hbo", "50001"): [("100", "10"), ("110", "<5"), ("120", "12")],
        ("hbo", "50002"): [("50", "5"), ("40", "4"), ("30", "3")],
        ("hbo", "50003"): [("500", "500"), ("500", "500"), ("500", "500")],
        ("wo", "50001"): [("1.000", "200"), ("1.100", "220"), ("1.200", "240")],
    })
    long_rows = []
    for year, hbo1, hbo2, wo1 in [(2001, ("111", "-1"), ("40", "4"), ("1100", "220")),
                                   (2002, ("121", "12"), ("30", "3"), ("1210", "240")),
                                   (2003, ("130", "13"), ("20", "2"), ("1300", "260"))]:
        for (sector, code), pair in ((("hbo", "50001"), hbo1), (("hbo", "50002"), hbo2), (("wo", "50001"), wo1)):
            long_rows += [(year, sector, code, "MAN", pair[0]), (year, sector, code, "VROUW", pair[1])]
    write_long(duo / "ho_eerstejaars" / "2004-03-15_eerstejaars_ho.csv", long_rows)
    write_wide(duo / "ho_gediplomeerden" / "2004-03-15_gediplomeerden_ho.csv", [2000, 2001, 2002, 2003], {
        ("hbo", "50001"): [("80", "8"), ("82", "8"), ("84", "8"), ("88", "8")],
        ("wo", "50001"): [("300", "100"), ("310", "100"), ("320", "105"), ("330", "110")],
    })
    programs = root / "programs"
    programs.mkdir(parents=True, exist_ok=True)
    (programs / "sprint.csv").write_text(
        "instellingscode;programma;vanaf;tot_en_met\n30AA;HBO-SPRINT;2002;\n21BB;WO-SPRINT;2001;2002\n",
        encoding="utf-8")
    ref = root / "reference"
    ref.mkdir(parents=True, exist_ok=True)
    (ref / "croho_classification.csv").write_text(
        "opleidingscode;opleidingsnaam;onderdeel;betatechniek;informatica\n"
        "50001;B Werktuigbouwkunde;techniek;J;N\n50002;B Informatica;techniek;J;J\n"
        "50003;B Bedrijfskunde;economie;N;N\n", encoding="utf-8")
    (ref / "institutions.csv").write_text(
        "instellingscode;naam;soort;opgegaan_in;per_jaar\n30AA;Hogeschool Bèta;hbo;;\n"
        "21BB;Universiteit Delta;wo;;\n", encoding="utf-8")
    return root


def read_published(publish_dir: Path, mart: str = "sector_growth") -> tuple[dict, list[dict]]:
    """(catalog entry, rows of the current version's data.csv) as a reader would fetch them."""
    import json

    entry = json.loads((publish_dir / "catalog.json").read_text(encoding="utf-8"))["marts"][mart]
    with (publish_dir / entry["csv"]).open(encoding="utf-8", newline="") as fh:
        return entry, list(csv.DictReader(fh))


def figure(rows: list[dict], sector: str, measure: str, year: int) -> dict:
    matches = [r for r in rows if r["sector"] == sector and r["measure"] == measure and int(r["year"]) == year]
    assert len(matches) == 1, f"expected one row for {sector}/{measure}/{year}, found {len(matches)}"
    return matches[0]


@pytest.fixture
def small_raw(tmp_path: Path) -> Path:
    return write_small_raw(tmp_path / "raw")


# --- how `make test` spreads the tests over its two xdist workers ------------------------------------------
# `pytest -n 2 --dist loadfile --no-loadscope-reorder`: a worker takes a whole file at a time, in the
# order below, so a module-scoped fixture (a job run of that file) is made once. (`--dist loadgroup`
# with an `xdist_group` per module does not group with pytest 9: xdist 3.8 renames `item._nodeid`,
# which pytest 9 no longer reads, so every test went to any worker and such runs were made twice.)
# Runs shared across files are made once for all workers (tests/e2e/conftest.py).
# The longest work goes first, so that both workers end together; every file not named here (the unit
# tests: seconds) comes after, in the usual order.
SLOWEST_FIRST = (  # by the worker time of each file in `make test --durations` (2026-12-05, issue 18)
    "tests/e2e/test_bad_deliveries.py",  # cases on copies of the shared sample run (while the other worker
                                         # makes the shared small run)
    "tests/e2e/test_killed_runs.py",  # ten runs of their own: five killed, five recoveries
    "tests/e2e/test_figure_revisions.py",  # nights of restatements on copies of the shared sample run
    "tests/e2e/test_nightly_job.py",
    "tests/e2e/test_publication_integrity.py",
    "tests/e2e/test_real_duo_files.py",
    "tests/e2e/test_decisions_survive_state.py",  # three runs of the sample, two of them cold
    "tests/e2e/test_real_complete_files.py",  # three runs on DUO's complete files
    "tests/e2e/test_runs.py",
    "tests/e2e/test_data_packages.py",
    "tests/e2e/test_marts_edge_cases.py",
    "tests/e2e/test_sample_data.py",  # the trace of every sector_growth row
    "tests/e2e/test_postgres_instance.py",
    "tests/e2e/test_reproducible.py",
    "tests/e2e/test_trace.py",
    "tests/unit/test_sqlite_storage.py",  # runs a tiny Dagster job: before the browser (below)
    # The browser files after every file that runs the job: a worker keeps its browser (a session
    # fixture, with Playwright's event loop) open to the end, and a job run in that worker cannot
    # close its own event loop cleanly (dagster's RuntimeWarning "shutdown_asyncgens was never awaited").
    "tests/e2e/test_site_pages.py",  # every page of the sample's site in the browser, at two widths
    "tests/e2e/test_site_charts.py",
    "tests/e2e/test_site.py",
    "tests/unit/test_fuzz_readers.py",  # a minute of generated inputs
    "tests/dbt/test_dbt_unit_tests.py",
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))  # stable: files stay whole
