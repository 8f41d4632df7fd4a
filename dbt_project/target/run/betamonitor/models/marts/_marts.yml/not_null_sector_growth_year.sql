
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select year
from "warehouse"."marts"."sector_growth"
where year is null



  
  
      
    ) dbt_internal_test