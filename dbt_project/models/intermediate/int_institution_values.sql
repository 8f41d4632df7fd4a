-- Bèta/techniek counts per institution (surviving code), sector (incl. aggregates), measure and year.
with by_sector as (
    select * from {{ ref('int_counted_cells') }}
    union all
    select c.* replace (a.aggregate_sector as sector)
    from {{ ref('int_counted_cells') }} as c
    inner join {{ ref('sector_aggregates') }} as a on c.sector = a.part_sector
)

select
    sector,
    measure,
    institution,
    year,
    sum(value) as value,
    sum(value_low) as value_low,
    sum(value_high) as value_high,
    count(*) filter (where is_masked) as n_masked_cells,
    bool_or(is_provisional) as is_provisional
from by_sector
group by all
