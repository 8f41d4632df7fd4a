
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