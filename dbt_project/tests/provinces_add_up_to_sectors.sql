-- Each sector's provinces (with the `onbekend` row) add up to its figure, for every measure and year,
-- in the point estimate, both bounds and the masked cells: regional_growth splits sector_growth.
with by_province as (
    select sector, measure, year, sum(value) as value, sum(value_low) as value_low,
           sum(value_high) as value_high, sum(n_masked_cells) as n_masked_cells
    from {{ ref('int_regional_values') }}
    group by all
)

select coalesce(s.sector, p.sector) as sector, coalesce(s.measure, p.measure) as measure,
       coalesce(s.year, p.year) as year, s.value as sector_value, p.value as provinces_value
from {{ ref('int_sector_values') }} as s
full outer join by_province as p using (sector, measure, year)
where s.value is distinct from p.value
   or s.value_low is distinct from p.value_low
   or s.value_high is distinct from p.value_high
   or s.n_masked_cells is distinct from p.n_masked_cells
