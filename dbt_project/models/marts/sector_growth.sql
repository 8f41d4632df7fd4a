-- The core published mart: bèta/techniek counts per sector, measure and year, indexed on the
-- baseline year (var baseline_year, 2000 unless the run sets another), with the Deltaplan target where
-- one applies. A series without data in its baseline year keeps its values with empty baseline, index
-- and growth (int_series_without_baseline says which and why). Rounding happens once, here.
with sector_values as (
    select * exclude (datasets) from {{ ref('int_sector_values') }}
),

with_baseline as (
    select
        v.*,
        {{ var('baseline_year') }} as baseline_year,
        b.value as baseline_value,
        t.target_growth_pct,
        t.target_year
    from sector_values as v
    inner join {{ ref('growth_targets') }} as t
        on v.sector = t.sector and v.measure = t.measure
    left join sector_values as b
        on v.sector = b.sector and v.measure = b.measure and b.year = {{ var('baseline_year') }}
)

select
    sector,
    measure,
    cast(year as integer) as year,
    cast(value as decimal(18, 1)) as value,
    cast(value_low as bigint) as value_low,
    cast(value_high as bigint) as value_high,
    cast(n_masked_cells as integer) as n_masked_cells,
    cast(baseline_year as integer) as baseline_year,
    cast(baseline_value as decimal(18, 1)) as baseline_value,
    {{ growth_columns('value', 'baseline_value') }},
    cast(target_growth_pct as decimal(5, 1)) as target_growth_pct,
    cast(target_year as integer) as target_year,
    is_provisional,
    source_delivery
from with_baseline
