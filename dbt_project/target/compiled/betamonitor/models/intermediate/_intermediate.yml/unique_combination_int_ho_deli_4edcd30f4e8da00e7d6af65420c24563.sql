
select dataset, year, delivery_file, count(*) as n_rows
from "warehouse"."intermediate"."int_ho_delivery_years"
group by dataset, year, delivery_file
having count(*) > 1
