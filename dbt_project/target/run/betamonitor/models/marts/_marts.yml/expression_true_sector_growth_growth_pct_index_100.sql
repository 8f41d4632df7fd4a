
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select * from "warehouse"."marts"."sector_growth" where not coalesce((growth_pct = index - 100), false)

  
  
      
    ) dbt_internal_test