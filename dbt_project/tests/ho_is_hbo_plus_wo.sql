-- ho = hbo + wo for every measure and year, in the point estimate and both bounds.
select ho.measure, ho.year
from {{ ref('int_sector_values') }} as ho
left join {{ ref('int_sector_values') }} as hbo
    on hbo.sector = 'hbo' and hbo.measure = ho.measure and hbo.year = ho.year
left join {{ ref('int_sector_values') }} as wo
    on wo.sector = 'wo' and wo.measure = ho.measure and wo.year = ho.year
where ho.sector = 'ho'
  and (ho.value <> coalesce(hbo.value, 0) + coalesce(wo.value, 0)
       or ho.value_low <> coalesce(hbo.value_low, 0) + coalesce(wo.value_low, 0)
       or ho.value_high <> coalesce(hbo.value_high, 0) + coalesce(wo.value_high, 0))
