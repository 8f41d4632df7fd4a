"""Fetching a figure's members: the population comes from the dbt model `int_figure_members` (the
cells the mart counts, keyed by the mart's grain); the trace only picks, per year, the delivery the
traced version recorded as winning (so an older publication traces from its own deliveries)."""

from __future__ import annotations

import duckdb

from pipelines.trace.model import Trace, TraceError
from pipelines.trace.publication import Inputs
from pipelines.warehouse import rows_as_dicts

MEMBERS_MODEL = "intermediate.int_figure_members"
MEMBERS_PATH = "dbt_project/models/intermediate/int_figure_members.sql"

# One member = one raw cell; named as the trace shows cells (sector / year / gender of the cell).
MEMBER_COLUMNS = ("role, dataset, cell_sector as sector, measure, member_year as year, "
                  "cell_instellingscode as instellingscode, institution, cell_gender as gender, delivery_file, "
                  "strftime(delivery_date, '%Y-%m-%d') as delivery_date, sha256, layout, line_number, "
                  "column_header, raw_value, value, is_masked, cell_description, in_numerator, "
                  "provincie, province_source, province_resolution")
ROLES = ("figure year", "baseline year")


def figure_members(con, mart: str, grain: list[str], row: dict) -> list[dict]:
    """Every member int_figure_members lists for the published row, from every delivery holding its years."""
    where = " and ".join(f"{key} = ?" for key in grain)
    params = [int(row[key]) if key == "year" else row[key] for key in grain]
    try:
        return rows_as_dicts(con, f"select {MEMBER_COLUMNS} from {MEMBERS_MODEL} where mart = ? and {where} "
                          "order by role desc, delivery_file, line_number, column_header, sector", [mart, *params])
    except (duckdb.CatalogException, duckdb.BinderException) as e:  # no model, or one without these columns
        raise TraceError(f"the warehouse has no {MEMBERS_MODEL}: run the job with this code version first") from e


def by_year(members: list[dict]) -> dict[int, list[dict]]:
    """Members per year, the figure's year first, then its baseline year."""
    out: dict[int, list[dict]] = {}
    for role in ROLES:
        for m in members:
            if m["role"] == role:
                out.setdefault(m["year"], []).append(m)
    return out


def recorded_population(trace: Trace, members: list[dict], inputs: Inputs) -> tuple[dict, dict]:
    """Per year, the members from the deliveries the version recorded as winning that year, and
    those deliveries (checked against the raw directory). Superseded deliveries go to the trace."""
    per_year, winners = {}, {}
    for y, candidates in by_year(members).items():
        datasets = sorted({m["dataset"] for m in candidates})
        sectors = sorted({m["sector"] for m in candidates})
        recorded = inputs.deliveries(datasets, y, sectors=sectors)
        if not recorded:
            raise TraceError(f"the publication records no {' or '.join(datasets)} delivery for {y}")
        winners[y] = [inputs.check(r) for r in recorded]
        paths = {r["path"] for r in recorded}
        per_year[y] = [m for m in candidates if m["delivery_file"] in paths]
        if not per_year[y]:
            trace.problems.append(f"the warehouse holds no cells of {', '.join(sorted(paths))} for this figure in {y}")
        first = winners[y][0]
        for s in inputs.deliveries(datasets, y, "years_superseded", sectors=sectors):
            trace.superseded.append({"year": y, "path": s["path"], "date": s["date"], "sha256": s["sha256"],
                                     "reason": f"superseded for {y} by the newer delivery {first['path']} "
                                               f"({first['date']}): the latest delivery containing a sector and "
                                               f"year wins"})
    return per_year, winners


def not_counted_by_type(con, *, sectors: list[str], measure: str, year: int, delivery: str) -> list[dict]:
    """HO rows of this figure's population left out for their programme/diploma type (contract 10.3)."""
    return rows_as_dicts(con, """
        select delivery_file, line_number, column_header, raw_value, instellingscode, opleidingscode,
               opleidingsnaam, programme_type, type_exclusion as reason
        from intermediate.int_ho_cells_classified
        where sector in (select unnest(?)) and measure = ? and year = ? and delivery_file = ?
          and is_betatechniek and not counts_by_type
        order by line_number, column_header""", [sectors, measure.removesuffix("_excl_informatica"), year, delivery])


def withdrawn(con, datasets: list[str]) -> list[dict]:
    """Withdrawn deliveries of the datasets: kept in the warehouse, used by no figure."""
    if not con.execute("select count(*) from information_schema.tables where table_schema = 'landing' "
                       "and table_name = 'delivery_decisions'").fetchall()[0][0]:
        return []
    rows = con.execute("select delivery_file, reason, decided_by, strftime(decided_at, '%Y-%m-%dT%H:%M:%SZ') "
                       "from landing.delivery_decisions where decision = 'withdrawn' "
                       "and dataset in (select unnest(?)) order by delivery_file", [datasets]).fetchall()
    return [{"path": f, "reason": r, "decided_by": b, "decided_at": a} for f, r, b, a in rows]


# --- how a group is defined (shown, and checked against the members; never the population) ----------

def program_list(con, program: str, sector: str) -> list[str]:
    if program != "ANY":
        return [program]
    return [r[0] for r in con.execute("select programma from reference.program_sectors where sector = ? order by 1",
                                      [sector]).fetchall()]


def participants(con, programs: list[str], year: int) -> list[str]:
    rows = con.execute("select distinct institution from intermediate.int_participation_years "
                       "where programma in (select unnest(?)) and year = ? order by 1", [programs, year]).fetchall()
    return [r[0] for r in rows]


def institutions_of(cells: list[dict]) -> list[str]:
    return sorted({c["institution"] for c in cells})
