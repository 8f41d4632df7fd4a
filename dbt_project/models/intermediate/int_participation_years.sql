-- One row per institution (surviving code), program and year it takes part in
-- (vanaf <= year <= tot_en_met; open-ended participation runs to the last year the monitor has).
with participation as (
    select coalesce(m.surviving_code, p.instellingscode) as institution, p.*
    from {{ ref('stg_program_participation') }} as p
    left join {{ ref('int_institution_map') }} as m using (instellingscode)
),

last_year as (
    select greatest(
        (select max(year) from {{ ref('int_delivery_years') }}),
        (select max(greatest(vanaf, coalesce(tot_en_met, vanaf))) from participation)
    ) as year
)

select distinct
    p.institution,
    p.programma,
    y.year
from participation as p
cross join last_year as l
cross join lateral (select unnest(range(p.vanaf, coalesce(p.tot_en_met, l.year) + 1)) as year) as y
