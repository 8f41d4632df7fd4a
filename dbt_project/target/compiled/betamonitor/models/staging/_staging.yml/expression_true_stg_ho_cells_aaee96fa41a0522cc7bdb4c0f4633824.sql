
select * from "warehouse"."staging"."stg_ho_cells" where not coalesce((value_low <= value and value <= value_high), false)
