
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select measure
from "warehouse"."reference"."growth_targets"
where measure is null



  
  
      
    ) dbt_internal_test