
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select year
from "warehouse"."staging"."stg_ho_cells"
where year is null



  
  
      
    ) dbt_internal_test