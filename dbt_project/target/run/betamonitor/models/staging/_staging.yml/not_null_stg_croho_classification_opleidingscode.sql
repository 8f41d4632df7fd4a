
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select opleidingscode
from "warehouse"."staging"."stg_croho_classification"
where opleidingscode is null



  
  
      
    ) dbt_internal_test