-- Revision check (issue #10): every sector and year a delivery restates, compared with the delivery
-- that held that sector and year before it (the next older vintage of the same dataset and sector,
-- contract 11.1: an hbo file is never compared with a wo file), over the cells that count towards a published figure
-- (int_classified_cells). Rows are institution x programme / kwalificatie / vestiging; a row
-- "missing" had a non-zero count in the earlier delivery and no counted cell at all now.
-- Beyond the thresholds declared in dbt_project.yml (revision_max_total_change,
-- revision_max_missing_rows) the restatement blocks the marts built on the deliveries, unless an
-- engineer accepted those bytes (`betamonitor accept`, decisions.csv -> landing.delivery_decisions, matched on
-- delivery file and sha256). Only restatements by the
-- delivery that currently wins the year can block: a superseded delivery changes no figure.
-- A row is what each family's staging model declares as its row key (var duo_row_keys: institution x
-- programme / kwalificatie / vestiging ..., location included). Two deliveries are compared on the
-- dimensions both state (a layout without OPLEIDINGSFASE or GEMEENTENUMMER is compared with one that
-- has it by summing the finer rows), so a change of layout restates nothing by itself.
-- A row is keyed on the surviving institution code (reference/institutions.csv): a delivery that
-- reports a merged institution's rows under the code it merged into restates nothing.
{%- set n_parts = var('duo_row_keys').values() | map('length') | max %}
with counted_cells as (
    -- only cells that count towards a published figure (bèta/techniek), each cell once
    select distinct dataset, sector, delivery_file, line_number, column_header, year, value, institution,
           row_key_parts
    from {{ ref('int_classified_cells') }}
    where in_total
),

stated as (
    -- the row-key dimensions a delivery states (in any of its counted rows of the sector)
    select dataset, sector, delivery_file,
           [{% for i in range(2, n_parts + 1) %}bool_or(row_key_parts[{{ i }}] is not null){{ ', ' if not loop.last }}{% endfor %}]
               as stated
    from counted_cells
    group by all
),

pairs as (
    select n.dataset, n.sector, n.year, n.delivery_file, n.delivery_date, n.is_winner,
           o.delivery_file as earlier_delivery_file, o.delivery_date as earlier_delivery_date
    from {{ ref('int_delivery_years') }} as n
    inner join {{ ref('int_delivery_years') }} as o
        on n.dataset = o.dataset and n.sector = o.sector and n.year = o.year and o.vintage_rank = n.vintage_rank + 1
),

pair_cells as (
    -- each cell of the pair keyed on the dimensions both deliveries state (a delivery without counted
    -- cells in the sector states none: its pair is compared per institution)
    select p.dataset, p.sector, p.year, p.delivery_file, p.earlier_delivery_file, c.delivery_file as cell_delivery_file,
           c.value,
           concat_ws(' | ', c.institution
               {%- for i in range(2, n_parts + 1) %},
               case when sn.stated[{{ i - 1 }}] and so.stated[{{ i - 1 }}] then coalesce(c.row_key_parts[{{ i }}], '') end
               {%- endfor %}) as row_key
    from pairs as p
    left join stated as sn
        on sn.dataset = p.dataset and sn.sector = p.sector and sn.delivery_file = p.delivery_file
    left join stated as so
        on so.dataset = p.dataset and so.sector = p.sector and so.delivery_file = p.earlier_delivery_file
    inner join counted_cells as c
        on c.dataset = p.dataset and c.sector = p.sector and c.year = p.year
       and c.delivery_file in (p.delivery_file, p.earlier_delivery_file)
),

per_row as (
    select p.dataset, p.sector, p.year, p.delivery_file, p.delivery_date, p.is_winner,
           p.earlier_delivery_file, p.earlier_delivery_date, r.row_key,
           sum(r.value) filter (where r.cell_delivery_file = p.earlier_delivery_file) as earlier_value,
           sum(r.value) filter (where r.cell_delivery_file = p.delivery_file) as restated_value
    from pairs as p
    inner join pair_cells as r
        on r.dataset = p.dataset and r.sector = p.sector and r.year = p.year
       and r.delivery_file = p.delivery_file and r.earlier_delivery_file = p.earlier_delivery_file
    group by all
),

compared as (
    select dataset, sector, year, delivery_file, delivery_date, is_winner, earlier_delivery_file, earlier_delivery_date,
           coalesce(sum(earlier_value), 0) as earlier_total,
           coalesce(sum(restated_value), 0) as restated_total,
           count(*) filter (where earlier_value > 0) as earlier_rows,
           count(*) filter (where earlier_value > 0 and restated_value is null) as missing_rows,
           list({'row': row_key, 'earlier': coalesce(earlier_value, 0), 'restated': coalesce(restated_value, 0)}
                order by abs(coalesce(restated_value, 0) - coalesce(earlier_value, 0)) desc, row_key)[1:5]
               as biggest_differences
    from per_row
    group by all
),

pairs_without_rows as (
    -- a restated year whose cells are all quarantined (or an earlier one whose are): still compared
    select p.dataset, p.sector, p.year, p.delivery_file, p.delivery_date, p.is_winner, p.earlier_delivery_file,
           p.earlier_delivery_date, 0 as earlier_total, 0 as restated_total, 0 as earlier_rows, 0 as missing_rows,
           [] as biggest_differences
    from pairs as p
    anti join compared as c using (dataset, sector, year, delivery_file)
),

accepted as (
    -- an acceptance holds for the bytes it was taken on: a decision whose sha256 is not that of the
    -- delivery as loaded (its file was replaced and the warehouse rebuilt) does not apply, the
    -- restatement is judged again (decisions.csv, pipelines/ingest/decisions.py)
    select d.delivery_file, arg_max(d.reason, d.decided_at) as accepted_reason,
           arg_max(d.decided_by, d.decided_at) as accepted_by, max(d.decided_at) as accepted_at
    from {{ source('landing', 'delivery_decisions') }} as d
    where d.decision = 'accepted'
      and d.sha256 in (select c.sha256 from {{ ref('int_classified_cells') }} as c
                       where c.delivery_file = d.delivery_file)
    group by all
),

measured as (
    select c.*,
           round(cast(c.restated_total - c.earlier_total as double) / nullif(c.earlier_total, 0), 4) as total_change,
           round(cast(c.missing_rows as double) / nullif(c.earlier_rows, 0), 4) as missing_share
    from (select * from compared union all by name select * from pairs_without_rows) as c
)

select
    m.*,
    (abs(coalesce(m.total_change, case when m.restated_total = m.earlier_total then 0 else 1 end))
        > {{ var('revision_max_total_change') }}
     or coalesce(m.missing_share, 0) > {{ var('revision_max_missing_rows') }}) as exceeds_threshold,
    a.accepted_by, a.accepted_at, a.accepted_reason,
    m.is_winner and a.delivery_file is null
    and (abs(coalesce(m.total_change, case when m.restated_total = m.earlier_total then 0 else 1 end))
            > {{ var('revision_max_total_change') }}
         or coalesce(m.missing_share, 0) > {{ var('revision_max_missing_rows') }}) as blocks
from measured as m
left join accepted as a using (delivery_file)
