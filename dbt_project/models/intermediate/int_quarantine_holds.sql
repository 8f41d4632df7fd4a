-- Which published figures each quarantined cell holds back (contract 11.6): the sector_growth figures
-- (sector x measure x year, aggregate sectors included) it could count toward, when it sits in the
-- delivery that wins its dataset, sector and year (or its year could not be read). A cell that could
-- not count under any reading (int_quarantined_cells.counts_nowhere) holds back nothing. The quality
-- gates block on int_quarantine_by_year; the quarantine report lists these per cell.
with blocking as (
    select q.*, s.sector as part_sector
    from {{ ref('int_quarantined_cells') }} as q
    inner join {{ dataset_sectors() }} as s
        on s.dataset = q.dataset and (q.sector is null or q.sector = s.sector)
    where not q.counts_nowhere
),

in_winning_delivery as (
    select distinct b.dataset, b.delivery_file, b.line_number, b.column_header, b.part_sector, b.measure,
           d.year
    from blocking as b
    inner join {{ ref('int_delivery_years') }} as d
        on b.dataset = d.dataset and b.delivery_file = d.delivery_file and b.part_sector = d.sector and d.is_winner
       and (b.year = d.year or b.year is null)
),

-- the published series and the datasets and part sectors they count
figures as (
    select distinct v.sector, v.measure, unnest(v.datasets) as dataset
    from {{ ref('int_sector_values') }} as v
),

figure_parts as (
    select f.*, coalesce(a.part_sector, f.sector) as part_sector
    from figures as f
    left join {{ ref('sector_aggregates') }} as a on a.aggregate_sector = f.sector
),

-- vmbo uitstroom_tl years without a figure (the TL series break, int_vmbo_tl_coverage): nothing to hold back
tl_unavailable as (
    select t.year
    from {{ ref('int_vmbo_tl_coverage') }} as t
    inner join {{ ref('int_delivery_years') }} as d
        on d.delivery_file = t.delivery_file and d.year = t.year and d.sector = 'vmbo' and d.is_winner
    where not t.is_available
)

select distinct
    q.dataset, q.delivery_file, q.line_number, q.column_header,
    f.sector, f.measure, q.year
from in_winning_delivery as q
inner join figure_parts as f
    on f.dataset = q.dataset and f.part_sector = q.part_sector
   and (q.measure is null or f.measure = q.measure)
where not (f.sector = 'vmbo' and f.measure = 'uitstroom_tl' and q.year in (select year from tl_unavailable))
