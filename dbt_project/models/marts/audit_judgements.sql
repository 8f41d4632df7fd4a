-- Every audit judgement next to the institution's growth in the benchmark (institution_growth) for
-- the audit year, so an auditor can see whether judgements track results. The benchmark sector of
-- a program is its widest sector (havo_vwo for UNIVERSUM / JET-NET); every measure of that sector
-- with a target is shown. Suppressed benchmark figures stay suppressed (symbol c).
with program_sector as (
    -- a program's widest sector: drop a part sector where the program also works in its aggregate
    select ps.programma as program, ps.sector
    from {{ ref('program_sectors') }} as ps
    where not exists (
        select 1
        from {{ ref('sector_aggregates') }} as a
        inner join {{ ref('program_sectors') }} as wider
            on wider.programma = ps.programma and wider.sector = a.aggregate_sector
        where a.part_sector = ps.sector
    )
),

measures as (
    select sector, measure from {{ ref('growth_targets') }} where target_year is not null
)

select
    j.program,
    cast(j.audit_year as integer) as audit_year,
    j.institution as instellingscode,
    i.naam as instellingsnaam,
    j.judgement,
    ps.sector,
    m.measure,
    g.growth_pct,
    g.index,
    g.value,
    g.baseline_value,
    g.rank_in_sector,
    g.n_ranked,
    coalesce(g.suppression, '') as suppression,
    case when g.year is null then 'no benchmark figure for this institution and year' else '' end as note,
    j.audit_file,
    cast(j.row_number as integer) as audit_row
from {{ ref('int_audit_judgements') }} as j
inner join program_sector as ps on ps.program = j.program
inner join measures as m on m.sector = ps.sector
left join {{ ref('institution_growth') }} as g
    on g.sector = ps.sector and g.measure = m.measure and g.instellingscode = j.institution and g.year = j.audit_year
left join {{ ref('stg_institutions') }} as i on i.instellingscode = j.institution
