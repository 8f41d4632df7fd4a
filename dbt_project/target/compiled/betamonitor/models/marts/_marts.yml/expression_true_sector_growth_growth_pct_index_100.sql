
select * from "warehouse"."marts"."sector_growth" where not coalesce((growth_pct = index - 100), false)
