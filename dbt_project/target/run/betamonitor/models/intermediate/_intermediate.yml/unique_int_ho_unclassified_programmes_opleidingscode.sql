
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

select
    opleidingscode as unique_field,
    count(*) as n_records

from "warehouse"."intermediate"."int_ho_unclassified_programmes"
where opleidingscode is not null
group by opleidingscode
having count(*) > 1



  
  
      
    ) dbt_internal_test