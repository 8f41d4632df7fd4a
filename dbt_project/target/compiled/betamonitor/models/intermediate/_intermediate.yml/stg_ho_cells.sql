
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