
    
    



select sector
from "warehouse"."reference"."growth_targets"
where sector is null


