-- Bèta/techniek counts per sector, measure and year, including the aggregate sectors
-- (ho = hbo + wo, havo_vwo = havo + vwo; seed sector_aggregates).
with by_sector as (
    {{ with_aggregate_sectors("(select * from " ~ ref('int_counted_cells') ~ " where in_total)") }}
)

select
    sector,
    measure,
    year,
    sum(value) as value,
    sum(value_low) as value_low,
    sum(value_high) as value_high,
    count(*) filter (where is_masked) as n_masked_cells,
    bool_or(is_provisional) as is_provisional,
    -- all cells of one dataset and year come from the same winning delivery
    strftime(max(delivery_date), '%Y-%m-%d') as source_delivery,
    list(distinct dataset order by dataset) as datasets
from by_sector
group by sector, measure, year
