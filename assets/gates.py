"""Quality gates: a blocking Great Expectations check on each mart before its publish step.

A failing blocking check stops the publish asset in the same run; the last publication stays.
The full GX validation result is stored per run so the publish step can keep it with the version.
"""


import json
from pathlib import Path

import dagster as dg

from assets.transform import SECTOR_GROWTH
from pipelines.quality.derived import add_sector_growth_checks
from pipelines.quality.gx_gate import run_suite
from pipelines.settings import BetamonitorSettings


def gate_result_path(settings: BetamonitorSettings, run_id: str, suite: str) -> Path:
    return settings.state_dir / "gates" / run_id / f"{suite}.json"


@dg.asset_check(asset=SECTOR_GROWTH, name="gx_quality_gate", blocking=True,
                description="expectations/sector_growth.json must pass before sector_growth is published.")
def sector_growth_gate(context: dg.AssetCheckExecutionContext, settings: BetamonitorSettings) -> dg.AssetCheckResult:
    with settings.connect(read_only=True) as con:
        mart = con.sql("select * from marts.sector_growth order by sector, measure, year").df()
        quarantined = con.sql("select measure as measure_base, year, n_quarantined "
                              "from intermediate.int_ho_quarantine_by_year").df()
    result = run_suite("sector_growth", add_sector_growth_checks(mart, quarantined))
    path = gate_result_path(settings, context.op_execution_context.run_id, "sector_growth")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"summary": result.summary(), "validation": result.result}, indent=2,
                               sort_keys=True, default=str), encoding="utf-8")
    (context.log.info if result.success else context.log.error)(result.describe())
    return dg.AssetCheckResult(
        passed=result.success, severity=dg.AssetCheckSeverity.ERROR,
        metadata={"summary": result.describe(), "failed": dg.MetadataValue.json(result.failed),
                  "validation_result": dg.MetadataValue.path(str(path))})
