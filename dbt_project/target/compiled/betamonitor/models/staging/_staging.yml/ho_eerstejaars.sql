
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