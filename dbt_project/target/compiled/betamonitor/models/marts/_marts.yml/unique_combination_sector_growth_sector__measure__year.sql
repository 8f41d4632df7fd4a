
select sector, measure, year, count(*) as n_rows
from "warehouse"."marts"."sector_growth"
group by sector, measure, year
having count(*) > 1
