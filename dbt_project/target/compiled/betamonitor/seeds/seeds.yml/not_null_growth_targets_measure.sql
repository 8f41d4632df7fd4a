
    
    



select measure
from "warehouse"."reference"."growth_targets"
where measure is null


