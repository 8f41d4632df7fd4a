
    -- Build actual result given inputs
with dbt_internal_unit_test_actual as (
  select
    "year","index","growth_pct","baseline_value","target_growth_pct","target_year", 'actual' as "actual_or_expected"
  from (
    -- The core published mart: bèta/techniek counts per sector, measure and year, indexed on the
-- baseline year (2000), with the Deltaplan target where one applies. Rounding happens once, here.
with  __dbt__cte__int_ho_sector_values as (

-- Fixture for int_ho_sector_values
select 
    
    cast('hbo' as character varying)
 as "sector", 
    
    cast('instroom' as character varying)
 as "measure", 
    
    cast(2000 as INTEGER)
 as "year", 
    
    cast(200 as DECIMAL(38,1))
 as "value", 
    
    cast(200 as HUGEINT)
 as "value_low", 
    
    cast(200 as HUGEINT)
 as "value_high", 
    
    cast(0 as BIGINT)
 as "n_masked_cells", 
    
    cast(False as BOOLEAN)
 as "is_provisional", 
    
    cast('2005-03-15' as character varying)
 as "source_delivery"
union all
select 
    
    cast('hbo' as character varying)
 as "sector", 
    
    cast('instroom' as character varying)
 as "measure", 
    
    cast(2001 as INTEGER)
 as "year", 
    
    cast(208.5 as DECIMAL(38,1))
 as "value", 
    
    cast(207 as HUGEINT)
 as "value_low", 
    
    cast(210 as HUGEINT)
 as "value_high", 
    
    cast(1 as BIGINT)
 as "n_masked_cells", 
    
    cast(False as BOOLEAN)
 as "is_provisional", 
    
    cast('2005-03-15' as character varying)
 as "source_delivery"
union all
select 
    
    cast('hbo' as character varying)
 as "sector", 
    
    cast('instroom' as character varying)
 as "measure", 
    
    cast(2002 as INTEGER)
 as "year", 
    
    cast(191.5 as DECIMAL(38,1))
 as "value", 
    
    cast(190 as HUGEINT)
 as "value_low", 
    
    cast(193 as HUGEINT)
 as "value_high", 
    
    cast(1 as BIGINT)
 as "n_masked_cells", 
    
    cast(True as BOOLEAN)
 as "is_provisional", 
    
    cast('2005-03-15' as character varying)
 as "source_delivery"
),  __dbt__cte__growth_targets as (

-- Fixture for growth_targets
select 
    
    cast('hbo' as character varying)
 as "sector", 
    
    cast('instroom' as character varying)
 as "measure", 
    
    cast(2000 as INTEGER)
 as "baseline_year", 
    
    cast(15 as DECIMAL(5,1))
 as "target_growth_pct", 
    
    cast(2007 as INTEGER)
 as "target_year"
), sector_values as (
    select * from __dbt__cte__int_ho_sector_values
),

with_baseline as (
    select
        v.*,
        t.baseline_year,
        b.value as baseline_value,
        t.target_growth_pct,
        t.target_year
    from sector_values as v
    inner join __dbt__cte__growth_targets as t
        on v.sector = t.sector and v.measure = t.measure
    left join sector_values as b
        on v.sector = b.sector and v.measure = b.measure and b.year = t.baseline_year
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
    cast(
        sign((value) * (baseline_value))
        * ((2000 * abs(cast(2 * (value) as hugeint)) + abs(cast(2 * (baseline_value) as hugeint)))
           // (2 * abs(cast(2 * (baseline_value) as hugeint))))
        * 0.1
    as decimal(18, 1)) as index,
    cast(
        sign((value) * (baseline_value))
        * ((2000 * abs(cast(2 * (value) as hugeint)) + abs(cast(2 * (baseline_value) as hugeint)))
           // (2 * abs(cast(2 * (baseline_value) as hugeint))))
        * 0.1
    as decimal(18, 1)) - 100 as growth_pct,
    cast(target_growth_pct as decimal(5, 1)) as target_growth_pct,
    cast(target_year as integer) as target_year,
    is_provisional,
    source_delivery
from with_baseline
  ) _dbt_internal_unit_test_actual
),
-- Build expected result
dbt_internal_unit_test_expected as (
  select
    "year", "index", "growth_pct", "baseline_value", "target_growth_pct", "target_year", 'expected' as "actual_or_expected"
  from (
    select 
    
    cast(2000 as INTEGER)
 as "year", 
    
    cast(100.0 as DECIMAL(18,1))
 as "index", 
    
    cast(0.0 as DECIMAL(19,1))
 as "growth_pct", 
    
    cast(200 as DECIMAL(18,1))
 as "baseline_value", 
    
    cast(15 as DECIMAL(5,1))
 as "target_growth_pct", 
    
    cast(2007 as INTEGER)
 as "target_year"
union all
select 
    
    cast(2001 as INTEGER)
 as "year", 
    
    cast(104.3 as DECIMAL(18,1))
 as "index", 
    
    cast(4.3 as DECIMAL(19,1))
 as "growth_pct", 
    
    cast(200 as DECIMAL(18,1))
 as "baseline_value", 
    
    cast(15 as DECIMAL(5,1))
 as "target_growth_pct", 
    
    cast(2007 as INTEGER)
 as "target_year"
union all
select 
    
    cast(2002 as INTEGER)
 as "year", 
    
    cast(95.8 as DECIMAL(18,1))
 as "index", 
    
    cast(-4.2 as DECIMAL(19,1))
 as "growth_pct", 
    
    cast(200 as DECIMAL(18,1))
 as "baseline_value", 
    
    cast(15 as DECIMAL(5,1))
 as "target_growth_pct", 
    
    cast(2007 as INTEGER)
 as "target_year"
  ) _dbt_internal_unit_test_expected
)
-- Union actual and expected results
select * from dbt_internal_unit_test_actual
union all
select * from dbt_internal_unit_test_expected