"""Quality gates: a blocking Great Expectations check on each mart before its publish step.

A failing blocking check stops the publish asset in the same run; the last publication stays.
The full GX validation result is stored per run so the publish step can keep it with the version.
"""

from functools import lru_cache
from pathlib import Path

import dagster as dg

from assets.keys import mart_key
from assets.resources import BetamonitorSettings
from pipelines.lineage import uses_deliveries
from pipelines.marts import MARTS, MartSpec
from pipelines.publishing.reader import read_catalog
from pipelines.quality import figure_revisions
from pipelines.quality.gate_results import write_gate_result
from pipelines.quality.gx_gate import run_suite
from pipelines.revisions import blocking_revisions
from pipelines.revisions import describe as describe_revisions
from pipelines.revisions import write_report as write_revision_report
from pipelines.warehouse import relation_columns


def build_gate(spec: MartSpec) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=mart_key(spec.name), name="gx_quality_gate", blocking=True,
                    description=f"expectations/{spec.name}.json must pass before {spec.name} is published.")
    def _gate(context: dg.AssetCheckExecutionContext, settings: BetamonitorSettings) -> dg.AssetCheckResult:
        run_id = context.op_execution_context.run_id
        with settings.connect(read_only=True) as con:
            # Only the columns the gate checks (not names, ranks, reasons): less memory for a large mart.
            columns = spec.gate_columns([name for name, _ in relation_columns(con, spec.relation)])
            mart = con.sql(f"select {', '.join(columns)} from {spec.relation} order by {', '.join(spec.grain)}").df()
            quarantined = con.sql(spec.quarantine_query).df()
            program_quarantined = (con.sql(spec.program_quarantine_query).df()
                                   if spec.program_quarantine_query else None)
            totals = con.sql(spec.totals_query).df() if spec.totals_query else None
            # Restatements beyond the revision thresholds, not accepted (int_delivery_revisions).
            revisions = blocking_revisions(con) if uses_deliveries(spec.name, MARTS) else []
            # Every figure against the published version (issue 17): beyond the thresholds with a new,
            # unaccepted delivery behind it, it blocks.
            figures = figure_revisions.check(con, spec.name, spec.grain, Path(settings.publish_dir),
                                             relation=spec.relation,
                                             uses_deliveries=uses_deliveries(spec.name, MARTS))
        if mart.empty and spec.name not in read_catalog(Path(settings.publish_dir))["marts"]:
            # No input for this mart yet (e.g. no audits/ folder): nothing to check or publish.
            write_gate_result(settings.state_dir, run_id, spec.name, {"suite": spec.name, "success": True, "empty": True})
            context.log.warning(f"{spec.name} is empty (no input data): not published")
            return dg.AssetCheckResult(passed=True, metadata={"summary": "empty mart: nothing to publish"})
        result = run_suite(spec.name, spec.checked(mart, quarantined, program_quarantined, totals))
        summary, text = result.summary(), result.describe()
        figure_report = (figure_revisions.write_report(
            settings.state_dir / "reports" / run_id / figure_revisions.report_name(spec.name), figures)
            if figures.rows else None)
        # A figure line only for deliveries the delivery revision check does not already name (one reason once).
        figure_line = (figure_revisions.describe(figures, figure_report)
                       if set(figures.blocking_deliveries) - {r["delivery_file"] for r in revisions} else "")
        lines = [line for line in (describe_revisions(revisions, short=True) if revisions else "", figure_line) if line]
        check: dict = {"passed": not revisions and not figures.blocking}
        if revisions:
            report = write_revision_report(settings.state_dir / "reports" / run_id / "revisions.csv", revisions)
            detail = describe_revisions(revisions)
            check.update(report=str(report), detail=detail)
            context.log.error(detail)
        if figures.blocking:
            check.update(figure_report=str(figure_report), blocking_figures=len(figures.blocking),
                         blocking_deliveries=figures.blocking_deliveries)
            context.log.error(figure_line or figure_revisions.describe(figures, figure_report))
        if figures.accepted:  # released by an acceptance: kept with the version (no run paths here)
            check["accepted_figures"] = figure_revisions.accepted_summary(figures)
        if figures.rows:
            context.log.info(f"{spec.name}: {len(figures.rows)} figures differ from published version "
                             f"{figures.version}, {len(figures.beyond)} beyond the thresholds, "
                             f"{len(figures.blocking)} blocking: {figure_report}")
        if lines:
            text = f"{text}; {' | '.join(lines)}; report {report if revisions else figure_report}"
        if revisions or figures.blocking or figures.accepted or uses_deliveries(spec.name, MARTS):
            summary = {**summary, "revision_check": check}
        if not check["passed"]:
            summary = {**summary, "success": False}
        passed = result.success and check["passed"]
        path = write_gate_result(settings.state_dir, run_id, spec.name, summary, result.result)
        (context.log.info if passed else context.log.error)(text)
        return dg.AssetCheckResult(
            passed=passed, severity=dg.AssetCheckSeverity.ERROR,
            metadata={"summary": text, "failed": dg.MetadataValue.json(result.failed),
                      "accepted_figures": dg.MetadataValue.json(check.get("accepted_figures", [])),
                      "validation_result": dg.MetadataValue.path(str(path))})

    return _gate


@lru_cache(maxsize=1)
def gates() -> list[dg.AssetChecksDefinition]:
    """One blocking GX gate per mart."""
    return [build_gate(spec) for spec in MARTS.values()]
