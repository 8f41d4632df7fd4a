
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select dataset, year, delivery_file, count(*) as n_rows
from "warehouse"."intermediate"."int_ho_delivery_years"
group by dataset, year, delivery_file
having count(*) > 1

  
  
      
    ) dbt_internal_test