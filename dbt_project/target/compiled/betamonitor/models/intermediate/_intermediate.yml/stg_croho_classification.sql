
-- Fixture for stg_croho_classification
select 
    
    cast('333' as character varying)
 as "opleidingscode", cast(null as character varying(256)) as "opleidingsnaam", cast(null as character varying(256)) as "onderdeel", 
    
    cast(False as BOOLEAN)
 as "is_betatechniek", 
    
    cast(False as BOOLEAN)
 as "is_informatica", cast(null as character varying(256)) as "source_file", cast(null as character varying(256)) as "sha256", cast(null as BIGINT) as "line_number"