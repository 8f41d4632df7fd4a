
    
    



select year
from "warehouse"."staging"."stg_ho_cells"
where year is null


