-- Quarantined cells that sit in a delivery the marts use for that year (or whose year could not be
-- read), per sector, measure and year they could change. The quality gates block on them.
with quarantined as (
    select q.dataset, coalesce(q.year, d.year) as year, count(*) as n_quarantined
    from {{ ref('stg_quarantine') }} as q
    inner join {{ ref('int_delivery_years') }} as d
        on q.dataset = d.dataset and q.delivery_file = d.delivery_file and d.is_winner
       and (q.year = d.year or q.year is null)
    group by all
),

figures as (
    select distinct sector, measure, unnest(datasets) as dataset from {{ ref('int_sector_values') }}
)

select f.sector, f.measure, q.year, sum(q.n_quarantined) as n_quarantined
from quarantined as q
inner join figures as f using (dataset)
group by all
