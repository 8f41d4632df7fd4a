
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select delivery_file, line_number, column_header, count(*) as n_rows
from "warehouse"."staging"."stg_ho_cells"
group by delivery_file, line_number, column_header
having count(*) > 1

  
  
      
    ) dbt_internal_test