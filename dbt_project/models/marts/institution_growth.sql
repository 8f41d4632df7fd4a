-- The institution benchmark: growth per institution (mergers reported under the surviving code),
-- ranked within its sector (ties share a rank; the baseline year is not ranked), with statistical
-- disclosure control for publication (macro with_disclosure_control: primary below
-- {{ var('min_publishable_count') }} persons, secondary against differencing from the sector total).
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

ruled as (
    select * from {{ with_disclosure_control('figures', 'institution') }}
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
    {{ disclosed_figure_columns('r') }},
    cast(r.rank_in_sector as integer) as rank_in_sector,
    cast(r.n_ranked as integer) as n_ranked,
    {{ suppression_columns('r') }},
    r.is_provisional
from ranked as r
left join {{ ref('stg_institutions') }} as i on i.instellingscode = r.institution
