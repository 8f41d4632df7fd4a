
    
    



select value
from "warehouse"."staging"."stg_ho_cells"
where value is null


