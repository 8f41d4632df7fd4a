
    
    



select sector
from "warehouse"."marts"."sector_growth"
where sector is null


