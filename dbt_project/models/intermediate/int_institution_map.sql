-- Every institution code -> the code it is reported under: the end of its merger chain
-- (opgegaan_in, from per_jaar on). Institution-level series use the surviving code for all years
-- so that a series stays like for like; sector totals are unaffected.
with recursive chain(instellingscode, surviving_code, depth) as (
    select instellingscode, instellingscode, 0 from {{ ref('stg_institutions') }}
    union all
    select c.instellingscode, i.opgegaan_in, c.depth + 1
    from chain as c
    inner join {{ ref('stg_institutions') }} as i on i.instellingscode = c.surviving_code
    where i.opgegaan_in is not null and c.depth < 20
)

select
    c.instellingscode,
    arg_max(c.surviving_code, c.depth) as surviving_code,
    max(c.depth) > 0 as is_merged,
    any_value(i.soort) as soort
from chain as c
inner join {{ ref('stg_institutions') }} as i using (instellingscode)
group by c.instellingscode
