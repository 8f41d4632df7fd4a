-- Quarantined cells that sit in a delivery the marts use for that year (or whose year could not
-- be read): they would change a published figure, so the quality gate blocks on them.
select
    q.dataset,
    case q.dataset when 'ho_eerstejaars' then 'instroom' else 'uitstroom' end as measure,
    coalesce(q.year, d.year) as year,
    count(*) as n_quarantined,
    list(distinct q.delivery_file) as delivery_files
from {{ ref('stg_ho_quarantine') }} as q
inner join {{ ref('int_ho_delivery_years') }} as d
    on q.dataset = d.dataset and q.delivery_file = d.delivery_file and d.is_winner
   and (q.year = d.year or q.year is null)
group by all
