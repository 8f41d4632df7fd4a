-- Program rows quarantined at ingest (an institution unknown to reference/institutions.csv), per
-- program and the figures they hold back (issue 17): without them the program's participation would
-- change silently. `sector` empty: the program as a whole (participation_counts, its audit rounds);
-- otherwise each sector the program works in (seed program_sectors: program_growth and gender_shares'
-- `<PROGRAM> participants`), and `ANY` (any program of the sector) for each of those sectors.
with quarantined as (
    select program, count(*) as n_quarantined
    from {{ ref('stg_program_quarantine') }}
    group by all
),

by_sector as (
    select q.program, ps.sector, q.n_quarantined
    from quarantined as q
    inner join {{ ref('program_sectors') }} as ps on ps.programma = q.program
)

select program, null::varchar as sector, n_quarantined from quarantined
union all
select program, sector, n_quarantined from by_sector
union all
select 'ANY' as program, sector, sum(n_quarantined) as n_quarantined from by_sector group by sector
