
    
    



select delivery_date
from "warehouse"."staging"."stg_ho_cells"
where delivery_date is null


