
    
    



select year
from "warehouse"."marts"."sector_growth"
where year is null


