"""End to end: the real Dagster job (`betamonitor run`) on small data in temp dirs, asserting on
the published files a Kennisbank reader would download."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from tests.conftest import figure, read_published, write_wide


def run(raw: Path, work: Path, *extra: str) -> int:
    return main(["run", "--raw-dir", str(raw), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb"), *extra])


def summary_header(out: str) -> str:
    """The first line of the summary `betamonitor run` prints (after dbt's log lines)."""
    return next(line for line in out.splitlines() if line.startswith("betamonitor run "))


def mart_line(out: str, mart: str) -> str:
    """The summary's line for one mart (one line per mart)."""
    [line] = [line for line in out.splitlines() if line.startswith(f"  {mart}: ")]
    return line


def tree_digest(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def first_run(small_run) -> Path:
    """One good run on the small data (tests/e2e/conftest.py, shared with other files: read only);
    tests that change things copy its directory."""
    return small_run


def copy_of(first_run: Path, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(first_run, work)
    return work


def test_published_figures_are_stitched_masked_and_indexed(first_run):
    entry, rows = read_published(first_run / "published")
    # 2001: the newer L delivery wins over the W delivery and carries one masked cell (-1).
    hbo_2001 = figure(rows, "hbo", "instroom", 2001)
    assert (hbo_2001["value"], hbo_2001["value_low"], hbo_2001["value_high"], hbo_2001["n_masked_cells"]) == \
        ("157.5", "156", "159", "1")
    assert hbo_2001["source_delivery"] == "2004-03-15" and hbo_2001["is_provisional"] == "false"
    # 2000 only in the W delivery; the W file has `1.000` (thousands separator) for wo.
    assert figure(rows, "hbo", "instroom", 2000)["value"] == "165.0"
    assert figure(rows, "wo", "instroom", 2000)["value"] == "1200.0"
    # Newest year of the winning delivery is provisional.
    wo_2003 = figure(rows, "wo", "instroom", 2003)
    assert (wo_2003["value"], wo_2003["index"], wo_2003["growth_pct"], wo_2003["is_provisional"]) == \
        ("1560.0", "130.0", "30.0", "true")
    ho_2003 = figure(rows, "ho", "instroom", 2003)  # 100 * 1725 / 1365 = 126.37 -> 126.4
    assert (ho_2003["value"], ho_2003["baseline_value"], ho_2003["index"], ho_2003["growth_pct"]) == \
        ("1725.0", "1365.0", "126.4", "26.4")
    # Informatica (50002) left out; the non-bèta programme (50003) never counts.
    assert figure(rows, "hbo", "instroom_excl_informatica", 2003)["value"] == "143.0"
    assert figure(rows, "hbo", "instroom_excl_informatica", 2000)["value"] == "110.0"
    assert figure(rows, "hbo", "instroom", 2000)["target_growth_pct"] == "15.0"
    assert figure(rows, "hbo", "instroom_excl_informatica", 2000)["target_growth_pct"] == ""
    assert figure(rows, "wo", "uitstroom", 2003)["value"] == "440.0"
    assert entry["version"].startswith("2004-03-15_")


def test_publication_says_what_made_it(first_run):
    entry, _ = read_published(first_run / "published")
    publish_dir = first_run / "published"
    for key in ("csv", "parquet", "metadata", "validation"):
        assert (publish_dir / entry[key]).is_file()
    meta = json.loads((publish_dir / entry["metadata"]).read_text(encoding="utf-8"))
    assert meta["quality_gate"]["success"] is True
    assert meta["as_of"] == "2004-03-15"
    # The run that wrote the version (its report is state/reports/<run_id>/), also in the catalog.
    report = next((first_run / "state" / "reports").glob("*/run_report.json"))
    run_id = json.loads(report.read_text(encoding="utf-8"))["run_id"]
    assert meta["run"]["run_id"] == run_id
    assert entry["published_by"][entry["version"]]["run_id"] == run_id == entry["current_since"]["run_id"]
    assert meta["code_version"]["package"].startswith("betamonitor")
    deliveries = {i["path"]: i for i in meta["inputs"] if i["kind"] == "delivery"}
    old = deliveries["duo/ho_eerstejaars/2003-03-15_eerstejaars_ho.csv"]
    assert old["years_used"] == [2000] and old["years_superseded"] == [2001, 2002]
    raw_file = first_run / "raw" / old["path"]
    assert old["sha256"] == hashlib.sha256(raw_file.read_bytes()).hexdigest()
    assert {c["name"] for c in meta["columns"]} >= {"sector", "measure", "year", "value", "growth_pct"}
    assert meta["files"]["data.csv"] == hashlib.sha256((publish_dir / entry["csv"]).read_bytes()).hexdigest()


def test_rerun_is_byte_identical_and_keeps_the_version(edge_runs):
    """A second fresh run on the same raw directory into a fresh publish directory and warehouse: the
    session's two fresh runs a/ and b/ of the edge-case data (the small data plus vo, programs and
    audits; tests/e2e/conftest.py, read only), which test_reproducible.py compares file by file."""
    first_run, work = edge_runs / "a", edge_runs / "b"
    first_entry, _ = read_published(first_run / "published")
    entry, _ = read_published(work / "published")
    assert entry["version"] == first_entry["version"]
    for key in ("csv", "parquet"):
        assert (work / "published" / entry[key]).read_bytes() == \
            (first_run / "published" / first_entry[key]).read_bytes()


def test_as_of_only_counts_deliveries_known_then(first_run, tmp_path):
    work = tmp_path / "as_of"
    assert run(first_run / "raw", work, "--as-of", "2003-12-31") == 0
    entry, rows = read_published(work / "published")
    hbo_2001 = figure(rows, "hbo", "instroom", 2001)  # the W delivery: 110 + 2.5 + 40 + 4
    assert (hbo_2001["value"], hbo_2001["source_delivery"]) == ("156.5", "2003-03-15")
    assert figure(rows, "hbo", "instroom", 2002)["is_provisional"] == "true"
    assert not [r for r in rows if r["measure"] == "instroom" and int(r["year"]) == 2003]
    assert entry["version"].startswith("2003-12-31_")


@pytest.fixture(scope="module")
def refused_run(small_run, tmp_path_factory) -> dict:
    """A copy of the small run with two independent bad files, run once (read only): the registered
    2003-03-15 delivery changed in place (refused) and a new 2005-03-15 file that is not an HO layout
    (rejected). Keys: work, code, out, before (the published files' digests before the run)."""
    work = copy_of(small_run, tmp_path_factory.mktemp("refused"))
    before = tree_digest(work / "published")
    wide = work / "raw" / "duo" / "ho_eerstejaars" / "2003-03-15_eerstejaars_ho.csv"
    wide.write_bytes(wide.read_bytes().replace(b";100;10;", b";999;10;"))
    bad = work / "raw" / "duo" / "ho_eerstejaars" / "2005-03-15_eerstejaars_ho.csv"
    bad.write_bytes(b"STUDIEJAAR;AANTAL\r\n2004;12\r\n")  # not an HO layout: required columns missing
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = run(work / "raw", work)
    return {"work": work, "code": code, "out": out.getvalue(), "before": before}


def test_changed_delivery_is_refused_and_old_data_kept(refused_run):
    work, out = refused_run["work"], refused_run["out"]
    assert refused_run["code"] == 1, out[-3000:]
    assert "2003-03-15_eerstejaars_ho.csv" in out and "content changed" in out
    # (the run also rejected the other file of `refused_run`: each reason is on its own line)
    assert any("2003-03-15_eerstejaars_ho.csv" in line and "content changed" in line for line in out.splitlines())
    # The originally delivered rows are still used, so the publication is unchanged.
    assert tree_digest(work / "published") == refused_run["before"]


def test_corrupt_file_is_rejected_and_last_publication_stays(refused_run):
    work, out = refused_run["work"], refused_run["out"]
    assert refused_run["code"] == 1, out[-3000:]
    assert "duo/ho_eerstejaars/2005-03-15_eerstejaars_ho.csv, line 1" in out
    assert "missing column" in out
    assert any("2005-03-15_eerstejaars_ho.csv, line 1" in line and "missing column" in line for line in out.splitlines())
    assert tree_digest(work / "published") == refused_run["before"]


def test_quarantined_cells_block_publishing_with_exit_2(first_run, tmp_path, capsys):
    work = copy_of(first_run, tmp_path)
    before = tree_digest(work / "published")
    # A newer delivery for 2003 with an unreadable count: the figure would change silently.
    write_wide(work / "raw" / "duo" / "ho_eerstejaars" / "2005-03-15_eerstejaars_ho.csv", [2003, 2004], {
        ("hbo", "50001"): [("130", "abc"), ("140", "14")],
        ("wo", "50001"): [("1300", "260"), ("1400", "280")],
    })
    catalog_before = json.loads((work / "published" / "catalog.json").read_text())["marts"]
    assert run(work / "raw", work) == 2
    out = capsys.readouterr().out
    assert "blocked: 5" in summary_header(out)
    assert mart_line(out, "sector_growth").startswith("  sector_growth: blocked by gate (")
    assert "_quarantined_cells" in mart_line(out, "sector_growth")
    catalog = json.loads((work / "published" / "catalog.json").read_text())["marts"]
    for mart in ("sector_growth", "program_growth", "institution_growth", "gender_shares"):
        assert mart_line(out, mart).startswith(f"  {mart}: blocked by gate (")
        assert catalog[mart] == catalog_before[mart]
    # Every version published before is untouched.
    # (catalog.json and the site's index pages follow the catalog: docs/site.md)
    # (as do latest/ and datapackage.json: contract v2, pipelines/publishing/latest.py)
    moving = {"catalog.json", "datapackage.json", "site/index.html", *(f"site/{m}/index.html" for m in catalog),
              *(f"latest/{m}.{ext}" for m in catalog for ext in ("csv", "parquet"))}
    after = tree_digest(work / "published")
    # (and the banner of a mart's pages that a newer version replaced: docs/site.md)
    replaced = [m for m in catalog if catalog[m]["version"] != catalog_before[m]["version"]]
    moving |= {k for k in after for m in replaced
               if k.startswith(f"site/{m}/") and k.count("/") == 3 and k.endswith(".html")}
    assert {k: v for k, v in after.items() if k in before and k not in moving} == \
        {k: v for k, v in before.items() if k not in moving}
    report = next((work / "state" / "reports").rglob("quarantine_ho_eerstejaars.csv")).read_text(encoding="utf-8")
    assert "2003 VROUW" in report and "abc" in report
