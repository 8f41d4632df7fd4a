"""Rendering a trace: the text auditors read, and `--out DIR` (trace.json, raw_cells.csv, trace.txt)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from pipelines.publishing.csv_safety import escape_row
from pipelines.trace.model import Trace

CSV_FIELDS = ["role", "delivery_file", "delivery_date", "sha256", "line_number", "column_header", "raw_value",
              "how_read", "value", "sector", "measure", "year", "instellingscode", "institution", "gender",
              "cell_description", "provincie", "province_source", "province_resolution"]


def write_outputs(trace: Trace, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    payload = out_dir / "trace.json"
    payload.write_text(json.dumps(trace.to_json(), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    cells = out_dir / "raw_cells.csv"
    with cells.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS + ["in_numerator"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(escape_row(c) for c in trace.cells)  # no formula injection (csv_safety)
    text = out_dir / "trace.txt"
    text.write_text(render_text(trace), encoding="utf-8")
    return [payload, cells, text]


def render_text(trace: Trace, max_cells: int = 40) -> str:
    p = trace.publication
    suppressed = trace.publication["published_row"].get("suppression") == "c"
    shown = f"suppressed (c: {trace.publication['published_row'].get('suppression_reason')})" if suppressed \
        else trace.published_value
    lines = [
        f"{trace.mart} {', '.join(f'{k}={v}' for k, v in trace.keys.items())}: {trace.column} = {shown}",
        "",
        "Publication",
        f"  version {p['version']}  (as of {p['as_of']}, run {p['run_id']})",
        f"  code {p['code_version'].get('git_commit')}{' (with local changes)' if p['code_version'].get('git_dirty') else ''}",
        f"  quality gate {p['quality_gate'].get('suite')}: "
        f"{'passed' if p['quality_gate'].get('success') else 'FAILED'} "
        f"({p['quality_gate'].get('evaluated_expectations', '?')} expectations)",
        "",
        "How it was computed",
    ]
    lines += [f"  {s['step']}: {s.get('detail', '')}" + (f"  [{s['path']}]" if s.get("path") else "")
              for s in trace.steps]
    if trace.members:
        lines += ["", "Members and rule"]
        for k, v in trace.members.items():
            shown = v if not isinstance(v, list) or len(v) <= 12 else v[:12] + [f"... {len(v) - 12} more"]
            lines.append(f"  {k}: {shown}")
    lines += ["", "Inputs"]
    lines += [f"  {i['path']}  {i.get('date', '')}  sha256 {i['sha256'][:16]}…  {i['status']}" for i in trace.inputs]
    if trace.superseded:
        lines += ["", "Deliveries that also held the year but were superseded"]
        lines += [f"  {s['path']} ({s['date']}) for {s['year']}: {s['reason']}" for s in trace.superseded]
    if trace.not_counted:
        lines += ["", f"Rows left out by programme/diploma type ({len(trace.not_counted)} cells)"]
        lines += [f"  [{c['year']}] {c['delivery_file']}:{c['line_number']} {c['column_header']!r} {c['raw_value']!r}"
                  f"  ({c['instellingscode']} {c['opleidingscode'] or ''} {c['opleidingsnaam'] or ''}): {c['reason']}"
                  for c in trace.not_counted[:max_cells]]
    if trace.withdrawn:
        lines += ["", "Withdrawn deliveries (kept in the warehouse, not used)"]
        lines += [f"  {w['path']}: withdrawn by {w['decided_by']} at {w['decided_at']}: {w['reason']}"
                  for w in trace.withdrawn]
    lines += ["", f"Raw cells ({len(trace.cells)})"]
    for c in trace.cells[:max_cells]:
        lines.append(f"  [{c['role']}] {c['delivery_file']}:{c['line_number']} {c['column_header']!r} "
                     f"{c['how_read']}  ({c['instellingscode']} {c['cell_description']})"
                     + (f"  province {c['provincie']} by {c['province_source']}: {c['province_resolution']}"
                        if trace.mart == "regional_growth" else ""))
    if len(trace.cells) > max_cells:
        lines.append(f"  ... {len(trace.cells) - max_cells} more (all in raw_cells.csv with --out DIR)")
    lines.append("")
    if trace.matches and suppressed:
        lines.append(f"Recomputed from the raw cells: the disclosure rule suppresses this figure too "
                     f"({trace.members.get('disclosure_rule', '?')}): matches the publication; its value is not shown")
    elif trace.matches:
        lines.append(f"Recomputed from the raw cells: {trace.column} = {trace.recomputed.get(trace.column, '?')}: "
                     "matches the published value")
    else:
        lines.append("DOES NOT MATCH the published value / cannot be proved:")
        lines += [f"  - {m}" for m in trace.problems + trace.mismatches]
    return "\n".join(lines) + "\n"
