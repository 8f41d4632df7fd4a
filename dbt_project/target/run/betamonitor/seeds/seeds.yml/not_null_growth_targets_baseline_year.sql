
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select baseline_year
from "warehouse"."reference"."growth_targets"
where baseline_year is null



  
  
      
    ) dbt_internal_test