
    
    



select vintage_rank
from "warehouse"."intermediate"."int_ho_delivery_years"
where vintage_rank is null


