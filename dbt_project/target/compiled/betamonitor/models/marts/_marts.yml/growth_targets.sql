
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