
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select * from "warehouse"."marts"."sector_growth" where not coalesce((value_low <= value and value <= value_high), false)

  
  
      
    ) dbt_internal_test