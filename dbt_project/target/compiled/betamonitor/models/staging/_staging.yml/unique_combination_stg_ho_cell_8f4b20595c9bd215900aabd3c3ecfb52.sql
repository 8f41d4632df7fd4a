
select delivery_file, line_number, column_header, count(*) as n_rows
from "warehouse"."staging"."stg_ho_cells"
group by delivery_file, line_number, column_header
having count(*) > 1
