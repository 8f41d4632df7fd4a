"""Runs of the real job that many end-to-end tests only read, made once per test session.

A job run costs 20-40 s of CPU, mostly fixed cost (dbt, the gates, Dagster), so the suite's time is
the number of runs. Runs that several test files made identically (the shipped sample, the small
raw directory of tests/conftest.py, the edge-case directory) are made here once:

- `sample_run`: `raw/` (copied), published, state: one cold run of the shipped sample;
- `small_run`: `write_small_raw`, one good run (`tests.e2e.test_nightly_job.good_small_run`);
- `small_two_publications`: a copy of `small_run` after a newer delivery that restates 2003 and adds
  2004, run again (two versions of sector_growth);
- `edge_runs`: `write_edge_raw` in raw/, two fresh runs into a/ and b/ on that same raw directory
  (what each printed: a.out, b.out).

pytest-xdist runs the suite in worker processes, and a session fixture would be made once per worker.
These are made once per session for all workers: in the session's shared temporary directory,
under a file lock, by the first worker that asks; the others wait for it and use the same directory.

Tests only READ these directories. A test that changes anything (a new delivery, a decision, a run)
copies the directory first (`shutil.copytree` takes well under a second; a run takes half a minute).
At the end of the session every worker that used one checks that its files are still as built, so a
test that writes into a shared run fails loudly instead of making another test flaky.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import io
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration.cli import main
from pipelines.paths import REPO_ROOT
from tests.conftest import write_small_raw, write_wide


def run_in(work: Path, raw: Path | None = None, *extra: str) -> int:
    """`betamonitor run` with raw/, published/ and state/warehouse.duckdb under `work`."""
    return main(["run", "--raw-dir", str(raw or work / "raw"), "--publish-dir", str(work / "published"),
                 "--warehouse", str(work / "state" / "warehouse.duckdb"), *extra])


def tree_digest(directory: Path) -> dict[str, str]:
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file() and not p.is_symlink()}


def _shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary directory, common to all xdist workers (pytest-of-<user>/pytest-<n>)."""
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-runs"
    root.mkdir(exist_ok=True)
    return root


def shared_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], None]) -> Path:
    """The directory `build(directory)` made, once per session across all xdist workers."""
    root = _shared_root(tmp_path_factory)
    target, done, failed = root / name, root / f"{name}.done", root / f"{name}.failed"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes (or the worker dies)
        if failed.exists():
            pytest.fail(f"the shared run {name!r} failed to build (in another worker):\n{failed.read_text()}",
                        pytrace=False)
        if not done.exists():
            if target.exists():
                shutil.rmtree(target)
            target.mkdir()
            try:
                build(target)
            except BaseException:
                failed.write_text(traceback.format_exc(), encoding="utf-8")
                raise
            digest = tree_digest(target)
            done.write_text("".join(f"{path}\t{sha}\n" for path, sha in digest.items()), encoding="utf-8")

    def unchanged() -> None:
        recorded = dict(line.split("\t") for line in done.read_text(encoding="utf-8").splitlines())
        now = tree_digest(target)
        changed = sorted(p for p in recorded.keys() | now.keys() if recorded.get(p) != now.get(p))
        assert not changed, (f"a test wrote into the shared run {name!r} ({target}); copy it first. "
                             f"Changed: {changed[:10]}")

    request.addfinalizer(unchanged)
    return target


# --- the shared runs ---------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def sample_run(request, tmp_path_factory) -> Path:
    """One cold run of the shipped sample: raw/ (a copy of the repository's), published/, state/."""
    def build(work: Path) -> None:
        shutil.copytree(REPO_ROOT / "raw", work / "raw")
        assert run_in(work) == 0

    return shared_run(request, tmp_path_factory, "sample", build)


@pytest.fixture(scope="session")
def small_run(request, tmp_path_factory) -> Path:
    """One good run on the small data of tests/conftest.py: raw/, published/, state/."""
    def build(work: Path) -> None:
        write_small_raw(work / "raw")
        assert run_in(work) == 0

    return shared_run(request, tmp_path_factory, "small", build)


# The newer ho_eerstejaars delivery of `small_two_publications`: restates 2003 (the provisional year of
# the first run: wo 1310 + 260 = 1570, was 1560) and adds 2004.
RESTATING_2005_DELIVERY = ("duo/ho_eerstejaars/2005-03-15_eerstejaars_ho.csv", [2003, 2004], {
    ("hbo", "50001"): [("131", "13"), ("140", "14")],
    ("hbo", "50002"): [("20", "2"), ("25", "3")],
    ("wo", "50001"): [("1310", "260"), ("1400", "280")],
})


@pytest.fixture(scope="session")
def small_two_publications(request, tmp_path_factory, small_run) -> Path:
    """`small_run` copied, then a newer delivery (RESTATING_2005_DELIVERY) and a second run: sector_growth
    has two versions. Beside published/: first_pages.json, the digest of the first version's site pages
    as the first run left them."""
    def build(work: Path) -> None:
        shutil.copytree(small_run, work, dirs_exist_ok=True)
        first = _current_versions(work)["sector_growth"]
        pages = work / "published" / "site" / "sector_growth" / first
        import json

        (work / "first_pages.json").write_text(json.dumps(tree_digest(pages)), encoding="utf-8")
        path, years, rows = RESTATING_2005_DELIVERY
        write_wide(work / "raw" / path, years, rows)
        assert run_in(work) == 0
        assert _current_versions(work)["sector_growth"] != first

    return shared_run(request, tmp_path_factory, "small_two_publications", build)


@pytest.fixture(scope="session")
def edge_runs(request, tmp_path_factory) -> Path:
    """tests/e2e/_edge_raw.py's raw directory in raw/, and two fresh runs on it: a/ and b/ (published/,
    state/); what each printed in a.out and b.out."""
    from tests.e2e._edge_raw import write_edge_raw

    def build(root: Path) -> None:
        write_edge_raw(root / "raw")
        for name in ("a", "b"):
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                code = run_in(root / name, root / "raw")
            (root / f"{name}.out").write_text(out.getvalue(), encoding="utf-8")  # what the run printed
            assert code == 0, out.getvalue()[-3000:]

    return shared_run(request, tmp_path_factory, "edge", build)


def _current_versions(work: Path) -> dict[str, str]:
    import json

    marts = json.loads((work / "published" / "catalog.json").read_text(encoding="utf-8"))["marts"]
    return {mart: entry["version"] for mart, entry in marts.items()}


@pytest.fixture(scope="session")
def browser():
    """A headless Debian chromium (Playwright's Python API), one per worker; skips with the reason when
    chromium or playwright is missing (tests/e2e/browser.py)."""
    from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, chromium_missing

    reason = chromium_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        context = p.chromium.launch_persistent_context(profile, executable_path=str(CHROMIUM), headless=True,
                                                       args=CHROMIUM_ARGS)
        yield context
        context.close()
