-- Institutions taking part per Platform program and year (from programs/*.csv), with the number
-- that joined that year.
with yearly as (
    select programma as program, year, count(distinct institution) as n_institutions
    from {{ ref('int_participation_years') }}
    group by all
),

joined as (
    select p.programma as program, p.vanaf as year, count(distinct coalesce(m.surviving_code, p.instellingscode)) as n_joined
    from {{ ref('stg_program_participation') }} as p
    left join {{ ref('int_institution_map') }} as m using (instellingscode)
    group by all
)

select
    y.program,
    cast(y.year as integer) as year,
    cast(y.n_institutions as integer) as n_institutions,
    cast(coalesce(j.n_joined, 0) as integer) as n_joined
from yearly as y
left join joined as j using (program, year)
