
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        sector as value_field,
        count(*) as n_records

    from "warehouse"."staging"."stg_ho_cells"
    group by sector

)

select *
from all_values
where value_field not in (
    'hbo','wo'
)



  
  
      
    ) dbt_internal_test