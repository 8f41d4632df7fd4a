
  
  create view "warehouse"."staging"."stg_ho_cells__dbt_tmp" as (
    -- Every readable HO count cell known as of the run's as-of date, from both datasets, with the
-- masking arithmetic applied: value (masked = 2.5), value_low (masked = 1), value_high (masked = 4).
-- Quarantined cells are left out here; the quality gate counts them separately.
with cells as (
    select 'ho_eerstejaars' as dataset, 'instroom' as measure, * from "warehouse"."landing"."ho_eerstejaars"
    union all by name
    select 'ho_gediplomeerden' as dataset, 'uitstroom' as measure, * from "warehouse"."landing"."ho_gediplomeerden"
)

select
    dataset,
    measure,
    delivery_file,
    delivery_date,
    sha256,
    layout,
    line_number,
    column_header,
    raw_value,
    year,
    gender,
    sector,
    instellingscode,
    instellingsnaam,
    onderdeel,
    opleidingscode,
    opleidingsnaam,
    opleidingsvorm,
    opleidingsfase,
    is_masked,
    count_value,
    cast(case when is_masked then 2.5 else coalesce(count_value, 0) end as decimal(18, 1)) as value,
    cast(case when is_masked then 1 else coalesce(count_value, 0) end as bigint) as value_low,
    cast(case when is_masked then 4 else coalesce(count_value, 0) end as bigint) as value_high
from cells
where quarantine_reason is null
  and true
  );
