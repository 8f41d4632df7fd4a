
select sector, measure, year, count(*) as n_rows
from "warehouse"."intermediate"."int_ho_sector_values"
group by sector, measure, year
having count(*) > 1
