-- The institution benchmark: growth per institution (mergers reported under the surviving code),
-- ranked within its sector (ties share a rank; the baseline year is not ranked), with statistical disclosure control for publication:
--   primary    a figure resting on fewer than {{ var('min_publishable_count') }} persons (value or
--              baseline value) is suppressed; a suppressed baseline suppresses the whole series
--              (growth would reveal it);
--   secondary  where exactly one institution of a sector/measure/year is suppressed, the smallest
--              other one is suppressed too, so the sector total cannot reveal it by differencing.
-- Suppressed cells are empty with symbol `c` in `suppression`.
with targets as (
    select sector, measure, {{ var('baseline_year') }} as baseline_year from {{ ref('growth_targets') }}
),

figures as (
    select
        cur.*,
        t.baseline_year,
        base.value as baseline_value
    from {{ ref('int_institution_values') }} as cur
    inner join targets as t on t.sector = cur.sector and t.measure = cur.measure
    left join {{ ref('int_institution_values') }} as base
        on base.sector = cur.sector and base.measure = cur.measure and base.institution = cur.institution
       and base.year = t.baseline_year
),

primary_rule as (
    select
        *,
        coalesce(baseline_value, 0) < {{ var('min_publishable_count') }} as baseline_too_small,
        value < {{ var('min_publishable_count') }} as value_too_small
    from figures
),

primary_suppressed as (
    select
        *,
        case
            when baseline_too_small then 'primary: baseline rests on fewer than {{ var("min_publishable_count") }} persons'
            when value_too_small then 'primary: rests on fewer than {{ var("min_publishable_count") }} persons'
        end as primary_reason
    from primary_rule
),

secondary as (
    -- per sector/measure/year with exactly one primary suppression: the smallest unsuppressed figure
    select sector, measure, year,
           arg_min(institution, (value, institution)) filter (where primary_reason is null) as institution
    from primary_suppressed
    group by sector, measure, year
    having count(*) filter (where primary_reason is not null) = 1
       and count(*) filter (where primary_reason is null) > 0
),

ruled as (
    select
        p.*,
        coalesce(p.primary_reason,
                 case when s.institution is not null and p.primary_reason is null
                      then 'secondary: protects another suppressed figure from differencing' end) as suppression_reason
    from primary_suppressed as p
    left join secondary as s
        on s.sector = p.sector and s.measure = p.measure and s.year = p.year and s.institution = p.institution
),

ranked as (
    -- Competition ranking on the published index (1, 2, 2, 4): equal indexes share a rank. In the
    -- baseline year every index is 100 by definition, so nothing is ranked there.
    select
        *,
        case when suppression_reason is null and year <> baseline_year then
            rank() over (partition by sector, measure, year, suppression_reason is null
                         order by {{ index_1dp('value', 'baseline_value') }} desc)
        end as rank_in_sector,
        case when year <> baseline_year then
            count(*) filter (where suppression_reason is null) over (partition by sector, measure, year)
        end as n_ranked
    from ruled
)

select
    r.sector,
    r.measure,
    r.institution as instellingscode,
    i.naam as instellingsnaam,
    cast(r.year as integer) as year,
    case when r.suppression_reason is null then cast(r.value as decimal(18, 1)) end as value,
    case when r.suppression_reason is null then cast(r.value_low as bigint) end as value_low,
    case when r.suppression_reason is null then cast(r.value_high as bigint) end as value_high,
    case when r.suppression_reason is null then cast(r.n_masked_cells as integer) end as n_masked_cells,
    cast(r.baseline_year as integer) as baseline_year,
    case when r.suppression_reason is null then cast(r.baseline_value as decimal(18, 1)) end as baseline_value,
    case when r.suppression_reason is null then {{ index_1dp('r.value', 'r.baseline_value') }} end as index,
    case when r.suppression_reason is null then
        cast({{ index_1dp('r.value', 'r.baseline_value') }} - 100 as decimal(18, 1)) end as growth_pct,
    cast(r.rank_in_sector as integer) as rank_in_sector,
    cast(r.n_ranked as integer) as n_ranked,
    case when r.suppression_reason is null then '' else 'c' end as suppression,
    coalesce(r.suppression_reason, '') as suppression_reason,
    r.is_provisional
from ranked as r
left join {{ ref('stg_institutions') }} as i on i.instellingscode = r.institution
