
    
    



select baseline_year
from "warehouse"."reference"."growth_targets"
where baseline_year is null


