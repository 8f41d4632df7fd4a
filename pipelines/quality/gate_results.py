"""A run's gate results, kept in the run state: the gate writes one per mart, its publish step reads
it (and keeps the full GX validation with the published version). One file per run and mart, so
a re-run never reads an older run's verdict."""

from __future__ import annotations

import json
from pathlib import Path


def gate_result_path(state_dir: Path, run_id: str, mart: str) -> Path:
    return Path(state_dir) / "gates" / run_id / f"{mart}.json"


def write_gate_result(state_dir: Path, run_id: str, mart: str, summary: dict, validation: dict | None = None) -> Path:
    path = gate_result_path(state_dir, run_id, mart)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"summary": summary} if validation is None else {"summary": summary, "validation": validation}
    path.write_text(json.dumps(body, indent=2, sort_keys=True, default=str), encoding="utf-8")
    return path


def read_gate_result(state_dir: Path, run_id: str, mart: str) -> dict | None:
    """The gate's result for a mart in this run, or None when its gate did not run."""
    path = gate_result_path(state_dir, run_id, mart)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def passed(result: dict | None) -> bool:
    return bool(result and result["summary"]["success"])
