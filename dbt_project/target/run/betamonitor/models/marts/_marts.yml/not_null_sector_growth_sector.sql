
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select sector
from "warehouse"."marts"."sector_growth"
where sector is null



  
  
      
    ) dbt_internal_test