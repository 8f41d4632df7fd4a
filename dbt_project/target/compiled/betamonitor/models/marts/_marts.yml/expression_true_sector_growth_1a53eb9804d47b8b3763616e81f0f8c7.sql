
select * from "warehouse"."marts"."sector_growth" where not coalesce((growth_pct is not distinct from index - 100), false)
