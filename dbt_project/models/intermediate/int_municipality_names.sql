-- Municipality names (and other names) by spelling key, for files that name the municipality but not
-- its number (GEMEENTENAAM of the vmbo and exam files). A key that names municipalities in two
-- provinces (an old `Hengelo` in Gelderland, `Hengelo` in Overijssel) is left out: such a row finds its
-- province through its institution instead.
with names as (
    select gemeentenaam as name, provincie, resolution from {{ ref('int_municipalities') }}
    union all
    select unnest(andere_namen) as name, provincie, resolution from {{ ref('int_municipalities') }}
)

select
    {{ spelling_key('name') }} as name_key,
    any_value(provincie) as provincie,
    -- the municipality meant, for the trace (or the municipalities of one province a name can mean)
    string_agg(distinct resolution, ', ' order by resolution) as resolution
from names
group by name_key
having count(distinct provincie) = 1
