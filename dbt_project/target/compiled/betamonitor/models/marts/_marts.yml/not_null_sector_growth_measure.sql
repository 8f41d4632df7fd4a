
    
    



select measure
from "warehouse"."marts"."sector_growth"
where measure is null


