with __dbt__cte__stg_ho_cells as (

-- Fixture for stg_ho_cells
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d.csv' as character varying)
 as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2007 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", 
    
    cast('techniek' as character varying)
 as "onderdeel", 
    
    cast('111' as character varying)
 as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
union all
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d.csv' as character varying)
 as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2007 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", 
    
    cast('economie' as character varying)
 as "onderdeel", 
    
    cast('222' as character varying)
 as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
union all
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", cast(null as character varying(256)) as "measure", 
    
    cast('d.csv' as character varying)
 as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as character varying(256)) as "sha256", cast(null as character varying(256)) as "layout", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", 
    
    cast(2007 as INTEGER)
 as "year", cast(null as character varying(256)) as "gender", cast(null as character varying(256)) as "sector", cast(null as character varying(256)) as "instellingscode", cast(null as character varying(256)) as "instellingsnaam", 
    
    cast('techniek' as character varying)
 as "onderdeel", 
    
    cast('333' as character varying)
 as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "opleidingsvorm", cast(null as character varying(256)) as "opleidingsfase", cast(null as BOOLEAN) as "is_masked", cast(null as BIGINT) as "count_value", cast(null as DECIMAL(18,1)) as "value", cast(null as BIGINT) as "value_low", cast(null as BIGINT) as "value_high"
),  __dbt__cte__int_ho_delivery_years as (

-- Fixture for int_ho_delivery_years
select 
    
    cast('ho_eerstejaars' as character varying)
 as "dataset", 
    
    cast('d.csv' as character varying)
 as "delivery_file", cast(null as DATE) as "delivery_date", 
    
    cast(2007 as INTEGER)
 as "year", 
    
    cast(True as BOOLEAN)
 as "is_provisional", cast(null as BIGINT) as "vintage_rank", 
    
    cast(True as BOOLEAN)
 as "is_winner"
),  __dbt__cte__stg_croho_classification as (

-- Fixture for stg_croho_classification
select 
    
    cast('333' as character varying)
 as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "onderdeel", 
    
    cast(False as BOOLEAN)
 as "is_betatechniek", 
    
    cast(False as BOOLEAN)
 as "is_informatica", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "sha256", cast(null as BIGINT) as "line_number"
) -- The winning delivery's cells per dataset and year, classified bèta/techniek and informatica.
-- A programme code missing from the CROHO classification counts as bèta/techniek when its
-- onderdeel is natuur or techniek (raw-data contract 6.1); such codes are listed in
-- int_ho_unclassified_programmes.
select
    c.*,
    d.is_provisional,
    coalesce(k.is_betatechniek, c.onderdeel in ('natuur', 'techniek')) as is_betatechniek,
    coalesce(k.is_informatica, false) as is_informatica,
    case when k.opleidingscode is null then 'onderdeel fallback' else 'croho classification' end
        as classified_by
from __dbt__cte__stg_ho_cells as c
inner join __dbt__cte__int_ho_delivery_years as d
    on c.dataset = d.dataset and c.delivery_file = d.delivery_file and c.year = d.year and d.is_winner
left join __dbt__cte__stg_croho_classification as k
    on c.opleidingscode = k.opleidingscode