-- Every municipality of reference/gemeenten.csv with the 2025 municipality it is part of now (the end of
-- its opgegaan_in chain) and that municipality's province: an older file's municipality that has since
-- merged counts in the province of today's municipality (the division of 1 January 2025).
with recursive chain(gemeentenummer, current_gemeentenummer, depth) as (
    select gemeentenummer, gemeentenummer, 0 from {{ ref('stg_gemeenten') }}
    union all
    select c.gemeentenummer, g.opgegaan_in, c.depth + 1
    from chain as c
    inner join {{ ref('stg_gemeenten') }} as g on g.gemeentenummer = c.current_gemeentenummer
    -- ingest rejects a file with a merger cycle; the depth bound only guards the recursion
    where g.opgegaan_in is not null and c.depth < 50
),

current_municipality as (
    select gemeentenummer, arg_max(current_gemeentenummer, depth) as current_gemeentenummer
    from chain
    group by gemeentenummer
)

select
    g.gemeentenummer,
    g.gemeentenaam,
    g.andere_namen,
    c.current_gemeentenummer,
    cur.gemeentenaam as current_gemeentenaam,
    cur.provincie,
    -- how the province was found, for the trace: `0106 Assen` or `0091 Sneek -> 1900 Súdwest-Fryslân`
    g.gemeentenummer || ' ' || g.gemeentenaam
        || case when c.current_gemeentenummer <> g.gemeentenummer
                then ' -> ' || c.current_gemeentenummer || ' ' || cur.gemeentenaam else '' end as resolution
from {{ ref('stg_gemeenten') }} as g
inner join current_municipality as c using (gemeentenummer)
inner join {{ ref('stg_gemeenten') }} as cur on cur.gemeentenummer = c.current_gemeentenummer
