
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select vintage_rank
from "warehouse"."intermediate"."int_ho_delivery_years"
where vintage_rank is null



  
  
      
    ) dbt_internal_test