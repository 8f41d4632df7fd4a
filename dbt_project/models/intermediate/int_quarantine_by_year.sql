-- Quarantined cells that sit in a delivery the marts use for that year (or whose year could not be
-- read), per sector, measure and year they could change. The quality gates block on them.
-- HO cells whose sector could not be told (int_ho_cells_classified) count as quarantined too.
with blocking_cells as (
    select dataset, delivery_file, year from {{ ref('stg_quarantine') }}
    union all
    select dataset, delivery_file, year from {{ ref('int_ho_cells_classified') }} where sector is null
),

quarantined as (
    select q.dataset, coalesce(q.year, d.year) as year, count(*) as n_quarantined
    from blocking_cells as q
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
