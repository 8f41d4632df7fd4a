-- Bèta/techniek counts per province (int_classified_cells.provincie; `onbekend` when none was found),
-- sector (incl. aggregates), measure and year: the sector totals of int_sector_values, split. Before
-- disclosure control; the data test provinces_add_up_to_sectors sums it against int_sector_values.
with by_sector as (
    {{ with_aggregate_sectors("(select * from " ~ ref('int_counted_cells') ~ " where in_total)") }}
)

select
    sector,
    measure,
    provincie,
    year,
    sum(value) as value,
    sum(value_low) as value_low,
    sum(value_high) as value_high,
    count(*) filter (where is_masked) as n_masked_cells,
    bool_or(is_provisional) as is_provisional
from by_sector
group by all
