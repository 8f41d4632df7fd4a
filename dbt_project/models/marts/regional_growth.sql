-- Growth per province: bèta/techniek instroom and uitstroom per province, sector, measure and year,
-- indexed on the baseline year as in sector_growth. Each sector's provinces, with the `onbekend` row
-- (no province found for those cells), add up to its sector_growth figure.
-- Disclosure control (macro with_disclosure_control) as in institution_growth, per province, in the
-- sectors that are no aggregate (a series without its baseline year publishes values without index
-- instead of being suppressed for lack of a baseline); an aggregate sector's province is suppressed as soon as
-- one of its parts is, or `ho - hbo` would reveal a suppressed wo figure. Each part sector suppresses
-- none or at least two provinces per year, so each aggregate does too.
with targets as (
    select sector, measure, {{ var('baseline_year') }} as baseline_year from {{ ref('growth_targets') }}
),

aggregates as (
    select aggregate_sector, part_sector from {{ ref('sector_aggregates') }}
),

figures as (
    select
        cur.*,
        t.baseline_year,
        base.value as baseline_value,
        -- the sector's series has its baseline year (else, as in sector_growth, values without index)
        exists (select 1 from {{ ref('int_sector_values') }} as s
                where s.sector = cur.sector and s.measure = cur.measure and s.year = t.baseline_year) as has_baseline
    from {{ ref('int_regional_values') }} as cur
    inner join targets as t on t.sector = cur.sector and t.measure = cur.measure
    left join {{ ref('int_regional_values') }} as base
        on base.sector = cur.sector and base.measure = cur.measure and base.provincie = cur.provincie
       and base.year = t.baseline_year
),

part_figures as (
    select * from figures where sector not in (select aggregate_sector from aggregates)
),

parts_ruled as (
    select * from {{ with_disclosure_control('part_figures', 'provincie', baseline_applies='has_baseline') }}
),

suppressed_parts as (
    select a.aggregate_sector as sector, p.measure, p.provincie, p.year,
           string_agg(p.sector, ', ' order by p.sector) as parts
    from parts_ruled as p
    inner join aggregates as a on a.part_sector = p.sector
    where p.suppression_reason is not null
    group by all
),

aggregates_ruled as (
    select
        f.*,
        case when s.parts is not null then 'secondary: its part ' || s.parts || ' is suppressed' end
            as suppression_reason
    from figures as f
    left join suppressed_parts as s using (sector, measure, provincie, year)
    where f.sector in (select aggregate_sector from aggregates)
),

ruled as (
    select * from parts_ruled
    union all by name
    select * from aggregates_ruled
)

select
    r.sector,
    r.measure,
    r.provincie,
    coalesce(p.provincie_code, 'onbekend') as provincie_code,
    cast(r.year as integer) as year,
    {{ disclosed_figure_columns('r') }},
    {{ suppression_columns('r') }},
    r.is_provisional
from ruled as r
left join {{ ref('provinces') }} as p on p.provincie = r.provincie
