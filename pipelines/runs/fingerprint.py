"""No-change runs: a fingerprint of everything a run's result depends on.

Inputs: every file under the raw directory (DUO deliveries, reference files, program files, audit
workbooks) by content; the dbt project (models, macros, seeds, tests, project and profile files);
the expectation suites; the code (`pipelines/`, `assets/`, `orchestration/`) and the locked dependency set (`uv.lock`);
the run options (raw dir, publish dir, warehouse, as-of). State: the published catalog, the
damaged published versions (sha256 against metadata.json) and the warehouse file as the last
successful run left them. After a successful run (exit 0) the fingerprint
is stored in `<state dir>/last_success.json`; a run whose fingerprint equals it ends at once.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

from pipelines.paths import DBT_PROJECT_DIR, EXPECTATIONS_DIR, REPO_ROOT

FINGERPRINT_FORMAT = 1
LAST_SUCCESS = "last_success.json"
CODE_DIRS = [REPO_ROOT / "pipelines", REPO_ROOT / "assets", REPO_ROOT / "orchestration"]
DBT_FOLDERS = ("models", "macros", "seeds", "tests", "snapshots", "analyses")


def _files(root: Path, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                  and (suffixes is None or p.suffix in suffixes))


def _digest_files(files: list[Path], base: Path) -> str:
    digest = hashlib.sha256()
    for path in files:
        file_hash = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                file_hash.update(block)
        digest.update(f"{path.relative_to(base).as_posix()}\0{file_hash.hexdigest()}\n".encode())
    return digest.hexdigest()


def _stat(path: Path) -> str:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return "missing"
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def compute(settings) -> dict:
    """Component digests (so a report can say what changed) of inputs, code, options and state."""
    raw_dir, publish_dir, warehouse = Path(settings.raw_dir), Path(settings.publish_dir), Path(settings.warehouse)
    dbt_files = [DBT_PROJECT_DIR / name for name in ("dbt_project.yml", "profiles.yml")
                 if (DBT_PROJECT_DIR / name).is_file()]
    for folder in DBT_FOLDERS:
        dbt_files.extend(_files(DBT_PROJECT_DIR / folder))
    code_files = [p for d in CODE_DIRS for p in _files(d, (".py", ".toml"))]  # .toml: publication.toml
    code_files += [p for p in (REPO_ROOT / "uv.lock", REPO_ROOT / "pyproject.toml") if p.is_file()]
    return {
        "format": FINGERPRINT_FORMAT,
        "raw": _digest_files(_files(raw_dir), raw_dir),
        "dbt": _digest_files(sorted(dbt_files), DBT_PROJECT_DIR),
        "expectations": _digest_files(_files(EXPECTATIONS_DIR), EXPECTATIONS_DIR),
        "code": _digest_files(sorted(code_files), REPO_ROOT),
        "options": {"raw_dir": str(raw_dir), "publish_dir": str(publish_dir), "warehouse": str(warehouse),
                    "as_of": settings.as_of, "baseline_year": settings.baseline_year},
        **state(publish_dir, warehouse),
    }


def state(publish_dir: Path, warehouse: Path) -> dict:
    """The publication and warehouse as they are now (after a run: as it left them). `publication`:
    the damaged versions (files missing or not matching their metadata.json's sha256), so that a
    hand-edited or deleted version is never "nothing changed"."""
    from pipelines.publishing.latest import latest_problems
    from pipelines.publishing.publisher import publication_problems

    catalog = publish_dir / "catalog.json"
    # A deleted or edited latest/ file or datapackage.json is not "nothing changed" either: the run repairs it.
    damaged = publication_problems(publish_dir) + latest_problems(publish_dir) if catalog.is_file() else []
    return {"catalog": _digest_files([catalog], publish_dir) if catalog.is_file() else "missing",
            "publication": hashlib.sha256(json.dumps(damaged, sort_keys=True).encode()).hexdigest(),
            "warehouse": _stat(warehouse)}


def changed_parts(current: dict, previous: dict | None) -> list[str]:
    """Which components differ from the last successful run (all of them when there was none)."""
    if not previous:
        return ["no previous successful run"]
    return [key for key in current if current[key] != previous.get("fingerprint", {}).get(key)]


def load_last_success(state_dir: Path) -> dict | None:
    try:
        return json.loads((state_dir / LAST_SUCCESS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_last_success(state_dir: Path, run_id: str, fingerprint: dict, settings) -> None:
    """After a successful run, once every connection is closed: catalog and warehouse as it left them."""
    fingerprint = {**fingerprint, **state(Path(settings.publish_dir), Path(settings.warehouse))}
    state_dir.mkdir(parents=True, exist_ok=True)
    tmp = state_dir / f".{LAST_SUCCESS}.tmp"
    tmp.write_text(json.dumps({"run_id": run_id, "finished": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                               "fingerprint": fingerprint}, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, state_dir / LAST_SUCCESS)


def forget_last_success(state_dir: Path) -> None:
    """Before a run changes anything: a killed or failed run must never look like a successful one."""
    try:
        (state_dir / LAST_SUCCESS).unlink()
    except FileNotFoundError:
        pass
