-- Every municipality of reference/gemeenten.csv with the 2025 municipality it is part of now (the end of
-- its opgegaan_in chain) and that municipality's province: an older file's municipality that has since
-- merged counts in the province of today's municipality (the division of 1 January 2025).
with current_municipality as (
    select gemeentenummer, end_code as current_gemeentenummer
    from {{ end_of_merger_chain(ref('stg_gemeenten'), 'gemeentenummer') }}
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
