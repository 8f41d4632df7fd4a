-- Every institution code -> the code it is reported under: the end of its merger chain
-- (opgegaan_in, from per_jaar on). Institution-level series use the surviving code for all years
-- so that a series stays like for like; sector totals are unaffected.
with chains as (
    select * from {{ end_of_merger_chain(ref('stg_institutions'), 'instellingscode') }}
)

select
    c.instellingscode,
    c.end_code as surviving_code,
    c.mergers > 0 as is_merged,
    i.soort
from chains as c
inner join {{ ref('stg_institutions') }} as i using (instellingscode)
