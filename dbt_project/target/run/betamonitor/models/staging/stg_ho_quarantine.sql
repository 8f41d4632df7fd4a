
  
  create view "warehouse"."staging"."stg_ho_quarantine__dbt_tmp" as (
    -- HO cells and rows that were quarantined at ingest (known as of the run's as-of date).
with cells as (
    select 'ho_eerstejaars' as dataset, * from "warehouse"."landing"."ho_eerstejaars"
    union all by name
    select 'ho_gediplomeerden' as dataset, * from "warehouse"."landing"."ho_gediplomeerden"
)

select dataset, delivery_file, delivery_date, line_number, column_header, raw_value, year, quarantine_reason
from cells
where quarantine_reason is not null
  and true
  );
