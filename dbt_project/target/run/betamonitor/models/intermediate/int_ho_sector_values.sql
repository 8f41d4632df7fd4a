
    

    create  table
      "warehouse"."intermediate"."int_ho_sector_values__dbt_tmp"
  
    
    as (
      -- Bèta/techniek counts per HO sector (hbo, wo, and ho = hbo + wo), measure and year.
-- `_excl_informatica` measures leave out informatica programmes (their inflow is cyclical).
with betatechniek as (
    select * from "warehouse"."intermediate"."int_ho_cells_classified" where is_betatechniek
),

by_measure as (
    select sector, measure, * exclude (sector, measure) from betatechniek
    union all
    select sector, measure || '_excl_informatica' as measure, * exclude (sector, measure)
    from betatechniek where not is_informatica
),

with_ho as (
    select * from by_measure
    union all
    select 'ho' as sector, * exclude (sector) from by_measure
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
    -- hbo and wo of one dataset/year always come from the same winning delivery
    strftime(max(delivery_date), '%Y-%m-%d') as source_delivery
from with_ho
group by sector, measure, year
    );
    
  