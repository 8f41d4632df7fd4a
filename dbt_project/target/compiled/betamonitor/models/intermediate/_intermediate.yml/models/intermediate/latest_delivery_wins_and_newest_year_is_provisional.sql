-- Vintage stitching (raw-data contract, section 2): for each dataset and year, every delivery that
-- contains the year, ranked newest first. Rank 1 wins; the others are superseded (restated).
-- The newest year of a delivery is provisional (voorlopig).
-- Quarantined cells count too: a delivery whose cells for a year are all quarantined still holds
-- that year, so an older delivery must not silently take its place.
with  __dbt__cte__stg_ho_cells as (

-- Fixture for stg_ho_cells
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d2005.csv' as character varying)
 as "delivery_file", 
    
    cast('2005-03-15' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2003 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
union all
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d2005.csv' as character varying)
 as "delivery_file", 
    
    cast('2005-03-15' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2004 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
union all
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d2006.csv' as character varying)
 as "delivery_file", 
    
    cast('2006-03-15' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2004 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
union all
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d2006.csv' as character varying)
 as "delivery_file", 
    
    cast('2006-03-15' as DATE)
 as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2005 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", cast(null as character varying(256)) as "onderdeel", cast(null as character varying(256)) as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
),  __dbt__cte__stg_ho_quarantine as (

-- Fixture for stg_ho_quarantine
select cast(null as character varying(256)) as "dataset", cast(null as character varying(256)) as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", cast(null as INTEGER) as "year", cast(null as character varying(256)) as "quarantine_reason"
    limit 0
), delivery_years as (
    select dataset, delivery_file, delivery_date, year from __dbt__cte__stg_ho_cells
    union
    select dataset, delivery_file, delivery_date, year from __dbt__cte__stg_ho_quarantine where year is not null
),

ranked as (
    select
        *,
        year = max(year) over (partition by delivery_file) as is_provisional,
        row_number() over (partition by dataset, year order by delivery_date desc, delivery_file desc) as vintage_rank
    from delivery_years
)

select *, vintage_rank = 1 as is_winner
from ranked