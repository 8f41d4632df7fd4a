-- Series (sector x measure) with data but none in the run's baseline year: they are published with
-- empty index and growth; the run summary and the mart metadata name them with this reason.
select
    sector,
    measure,
    {{ var('baseline_year') }} as baseline_year,
    min(year) as first_year,
    max(year) as last_year,
    'no data in baseline year ' || {{ var('baseline_year') }} || ' (data covers ' || min(year) || '-' || max(year)
        || '): index and growth_pct are empty; choose another with --baseline-year' as reason
from {{ ref('int_sector_values') }}
group by sector, measure
having count(*) filter (where year = {{ var('baseline_year') }}) = 0
