-- Growth of the institutions taking part in a Platform program versus those that do not.
-- For program P, sector S, measure M and year Y: the institutions taking part in P in year Y
-- ("participants") and the other institutions of S ("non_participants"); each group's value in Y
-- against the SAME institutions' value in the baseline year (like for like). Only institutions with
-- data in both years count. Program `ANY` = taking part in any Platform program of the sector.
with targets as (
    select sector, measure, {{ var('baseline_year') }} as baseline_year from {{ ref('growth_targets') }}
),

programs as (
    select programma as program, sector from {{ ref('program_sectors') }}
    union all
    select distinct 'ANY', sector from {{ ref('program_sectors') }}
),

members as (
    select
        pr.program,
        cur.sector,
        cur.measure,
        cur.year,
        cur.institution,
        cur.value, cur.value_low, cur.value_high, cur.n_masked_cells, cur.is_provisional,
        base.value as base_value, base.value_low as base_low, base.value_high as base_high,
        t.baseline_year,
        exists (
            select 1 from {{ ref('int_participation_years') }} as p
            inner join {{ ref('program_sectors') }} as ps on ps.programma = p.programma and ps.sector = cur.sector
            where p.institution = cur.institution and p.year = cur.year
              and (pr.program = 'ANY' or p.programma = pr.program)
        ) as participates
    from {{ ref('int_institution_values') }} as cur
    inner join targets as t on t.sector = cur.sector and t.measure = cur.measure
    inner join {{ ref('int_institution_values') }} as base
        on base.sector = cur.sector and base.measure = cur.measure and base.institution = cur.institution
       and base.year = t.baseline_year
    inner join programs as pr on pr.sector = cur.sector
)

select
    program,
    sector,
    measure,
    cast(year as integer) as year,
    case when participates then 'participants' else 'non_participants' end as participation,
    cast(count(*) as integer) as n_institutions,
    cast(sum(value) as decimal(18, 1)) as value,
    cast(sum(value_low) as bigint) as value_low,
    cast(sum(value_high) as bigint) as value_high,
    cast(sum(n_masked_cells) as integer) as n_masked_cells,
    cast(any_value(baseline_year) as integer) as baseline_year,
    cast(sum(base_value) as decimal(18, 1)) as baseline_value,
    cast(sum(base_low) as bigint) as baseline_value_low,
    cast(sum(base_high) as bigint) as baseline_value_high,
    {{ growth_columns('sum(value)', 'sum(base_value)') }},
    bool_or(is_provisional) as is_provisional
from members
group by program, sector, measure, year, participates
