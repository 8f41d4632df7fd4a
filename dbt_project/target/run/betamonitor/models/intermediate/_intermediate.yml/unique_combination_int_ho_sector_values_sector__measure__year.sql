
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select sector, measure, year, count(*) as n_rows
from "warehouse"."intermediate"."int_ho_sector_values"
group by sector, measure, year
having count(*) > 1

  
  
      
    ) dbt_internal_test