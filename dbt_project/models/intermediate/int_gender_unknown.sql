-- Persons of unknown gender per bèta/techniek figure (contract 11.3): counted in sector_growth's totals,
-- left out of the share of women (vrouw / (man + vrouw)); the gender_shares metadata says how many.
-- Per raw row and year: the row's total (TOTAAL, or the sum of its GESLACHT rows) minus MAN and
-- VROUW. A row year with a masked cell cannot tell its unknowns exactly and is counted apart.
with row_years as (
    select sector, measure, year, delivery_file, line_number,
           sum(value) filter (where in_total and gender is not null) as total,
           sum(value) filter (where gender in ('MAN', 'VROUW')) as man_vrouw,
           sum(value) filter (where gender = 'ONBEKEND') as onbekend,
           bool_or(is_masked) as has_masked
    from ({{ with_aggregate_sectors(ref('int_counted_cells')) }}) as c
    where gender is not null
    group by all
),

-- a G-layout file has one line per gender: its unknowns are the ONBEKEND lines
per_row as (
    select sector, measure, year, has_masked,
           case when total is not null and man_vrouw is not null then total - man_vrouw else onbekend end as unknown
    from row_years
)

select sector, measure, year,
       cast(coalesce(sum(unknown) filter (where not has_masked), 0) as decimal(18, 1)) as n_unknown,
       count(*) filter (where has_masked and unknown <> 0) as n_rows_masked
from per_row
group by all
having coalesce(sum(unknown) filter (where not has_masked), 0) <> 0 or count(*) filter (where has_masked and unknown <> 0) > 0
