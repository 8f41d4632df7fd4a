"""Issue 17: decisions are data kept with the inputs (`raw/decisions.csv`), not only in the warehouse.

On a copy of the shipped sample: a restated delivery the revision check blocks, a run (blocked),
`betamonitor withdraw` (it appends to decisions.csv), a run (published); then the whole state directory
is deleted (warehouse, reports, Dagster instance: a rebuilt server) and the job runs again. The
publication must stay byte for byte what it was: the withdrawn delivery is not used again.

Three full runs, shared by every test of the module (they only read its output).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.cli import main
from pipelines.ingest.decisions import HEADER, read_decisions
from pipelines.ingest.deliveries import sha256_of_file
from pipelines.paths import REPO_ROOT
from tests.conftest import figure, read_published
from tests.e2e.test_nightly_job import mart_line, summary_header

HO = "duo/ho_eerstejaars/2008-03-17_eerstejaars_ho.csv"
NEW_HO = "duo/ho_eerstejaars/2009-03-20_eerstejaars_ho.csv"
DUO_MARTS = ("sector_growth", "program_growth", "gender_shares", "institution_growth")


def run(work: Path) -> int:
    return main(["run", "--raw-dir", str(work / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb")])


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):

    work = tmp_path_factory.mktemp("decisions_survive_state")
    shutil.copytree(REPO_ROOT / "raw", work / "raw")
    assert not (work / "raw" / "decisions.csv").exists()
    lines = (work / "raw" / HO).read_bytes().split(b"\n")
    (work / "raw" / NEW_HO).write_bytes(b"\n".join(lines[:284]) + b"\n")  # cut short: blocked by the revision check
    outputs = {}  # capsys is function-scoped: the module's runs are captured here
    for step in ("blocked", "withdraw", "published", "rebuilt"):
        buffer = io.StringIO()
        with contextlib.redirect_stdout(buffer):
            if step == "withdraw":
                code = main(["withdraw", "2009-03-20_eerstejaars_ho.csv", "--reason", "test: cut short",
                             "--by", "test engineer", "--raw-dir", str(work / "raw")])
            else:
                if step == "rebuilt":
                    shutil.rmtree(work / "state")  # warehouse, reports and the Dagster instance
                code = run(work)
        outputs[step] = (code, buffer.getvalue())
        if step == "published":
            outputs["snapshot"] = snapshot(work / "published")
    return work, outputs


def test_the_restatement_is_blocked_then_withdrawn_into_decisions_csv(rebuilt):
    work, outputs = rebuilt
    code, out = outputs["blocked"]
    assert code == 2, out[-3000:]
    assert f"revision check: {NEW_HO} restates" in out
    code, out = outputs["withdraw"]
    assert code == 0 and f"{NEW_HO} withdrawn by test engineer" in out
    lines = (work / "raw" / "decisions.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(HEADER) and len(lines) == 2  # one decision, and no run rewrote the file
    [decision] = read_decisions(work / "raw")
    assert (decision.decision, decision.delivery_file, decision.reason) == ("withdrawn", NEW_HO, "test: cut short")
    assert decision.sha256 == sha256_of_file(work / "raw" / NEW_HO)
    code, out = outputs["published"]
    assert code == 0, out[-3000:]
    for mart in DUO_MARTS:
        assert mart_line(out, mart).startswith(f"  {mart}: published new "), out[-3000:]


def test_without_its_state_the_run_publishes_byte_identical_files(rebuilt):
    work, outputs = rebuilt
    code, out = outputs["rebuilt"]
    assert code == 0, out[-3000:]
    assert "blocked: 0" in summary_header(out) and "published new: 0" in summary_header(out), summary_header(out)
    after = snapshot(work / "published")
    before = outputs["snapshot"]
    assert sorted(after) == sorted(before)
    assert [name for name in before if after[name] != before[name]] == []


def test_the_withdrawn_delivery_is_not_used_by_the_rebuilt_warehouse(rebuilt):
    work, _ = rebuilt
    entry, rows = read_published(work / "published")
    assert figure(rows, "ho", "instroom", 2007)["source_delivery"] == "2008-03-17"
    meta = json.loads((work / "published" / entry["metadata"]).read_text(encoding="utf-8"))
    assert NEW_HO not in {i["path"] for i in meta["inputs"]}
    assert [w["path"] for w in meta["withdrawn_deliveries"]] == [NEW_HO]
    with duckdb.connect(str(work / "state" / "warehouse.duckdb"), read_only=True) as con:
        # landed again from raw/ (kept for the record), withdrawn again from decisions.csv
        assert con.execute("select count(*) from landing.ho_eerstejaars where delivery_file = ?",
                           [NEW_HO]).fetchall()[0][0] > 0
        assert con.execute("select delivery_file, decision, decided_by from landing.delivery_decisions"
                           ).fetchall() == [(NEW_HO, "withdrawn", "test engineer")]
        assert con.execute("select count(*) from intermediate.int_delivery_years where delivery_file = ?",
                           [NEW_HO]).fetchall() == [(0,)]
    assert len((work / "raw" / "decisions.csv").read_text(encoding="utf-8").splitlines()) == 2
