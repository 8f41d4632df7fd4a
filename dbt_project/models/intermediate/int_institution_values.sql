-- Bèta/techniek counts per institution (surviving code), sector (incl. aggregates), measure and year.
with by_sector as (
    {{ with_aggregate_sectors("(select * from " ~ ref('int_counted_cells') ~ " where in_total)") }}
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
