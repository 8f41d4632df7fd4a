-- Every readable HO count cell known as of the run's as-of date, from both datasets, with the
-- masking arithmetic applied: value (masked = 2.5), value_low (masked = 1), value_high (masked = 4).
-- Quarantined cells are left out here; the quality gate counts them separately.
with  __dbt__cte__landing__ho_eerstejaars as (

-- Fixture for ho_eerstejaars
select 
    
    cast('old.csv' as character varying)
 as "delivery_file", 
    
    cast('2006-03-15' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", 
    
    cast(2 as INTEGER)
 as "line_number", 
    
    cast('2005 MAN' as character varying)
 as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2005 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", 
    
    cast(10 as BIGINT)
 as "count_value", 
    
    cast(False as BOOLEAN)
 as "is_masked", cast(null as character varying(256)) as "quarantine_reason", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase"
union all
select 
    
    cast('new.csv' as character varying)
 as "delivery_file", 
    
    cast('2008-03-17' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", 
    
    cast(2 as INTEGER)
 as "line_number", 
    
    cast('2005 MAN' as character varying)
 as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2005 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", 
    
    cast(12 as BIGINT)
 as "count_value", 
    
    cast(False as BOOLEAN)
 as "is_masked", cast(null as character varying(256)) as "quarantine_reason", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase"
),  __dbt__cte__landing__ho_gediplomeerden as (

-- Fixture for ho_gediplomeerden
select cast(null as character varying(256)) as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", cast(null as INTEGER) as "year", cast(null as character varying(256)) as "gender", cast(null as BIGINT) as "count_value", cast(null as BOOLEAN) as "is_masked", cast(null as character varying(256)) as "quarantine_reason", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase"
    limit 0
), cells as (
    select 'ho_eerstejaars' as dataset, 'instroom' as measure, * from __dbt__cte__landing__ho_eerstejaars
    union all by name
    select 'ho_gediplomeerden' as dataset, 'uitstroom' as measure, * from __dbt__cte__landing__ho_gediplomeerden
)

select
    dataset,
    measure,
    delivery_file,
    delivery_date,
    sha256,
    layout,
    line_number,
    column_header,
    raw_value,
    year,
    gender,
    sector,
    instellingscode,
    instellingsnaam,
    onderdeel,
    opleidingscode,
    opleidingsnaam,
    opleidingsvorm,
    opleidingsfase,
    is_masked,
    count_value,
    cast(case when is_masked then 2.5 else coalesce(count_value, 0) end as decimal(18, 1)) as value,
    cast(case when is_masked then 1 else coalesce(count_value, 0) end as bigint) as value_low,
    cast(case when is_masked then 4 else coalesce(count_value, 0) end as bigint) as value_high
from cells
where quarantine_reason is null
  and delivery_date <= cast('2006-12-31' as date)