
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select instellingscode
from "warehouse"."staging"."stg_institutions"
where instellingscode is null



  
  
      
    ) dbt_internal_test