
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