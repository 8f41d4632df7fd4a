
select * from "warehouse"."marts"."sector_growth" where not coalesce((value_low <= value and value <= value_high), false)
