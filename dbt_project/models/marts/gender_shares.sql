-- Gender shares. Two indicators:
--   share_women     share of women (VROUW) among every counted bèta/techniek population
--                   (sector_growth's sectors and measures), all institutions;
--   share_n_profiel havo/vwo leerjaar 4: share of pupils choosing an N-profiel (NT, NG, NT/NG) among
--                   all leerjaar-4 pupils, by gender (totaal, man, vrouw), for all schools and for
--                   the schools taking part in each program (and ANY program) in that year.
-- Shares use point estimates (masked cells count 2.5) and are rounded once to one decimal. A share of
-- women is vrouw / (man + vrouw) (contract 11.3): cells without a gender (a DUO API table split without
-- GESLACHT), of unknown gender (GESLACHT onbekend, ONBEKEND columns) and TOTAAL cells count in the
-- totals of sector_growth but not here; int_gender_unknown counts the unknowns for the metadata.
with women as (
    select
        'share_women' as indicator, s.sector, s.measure, 'vrouw' as gender, 'all schools' as school_group, s.year,
        sum(s.value) filter (where s.gender = 'VROUW') as numerator,
        sum(s.value) as denominator,
        count(*) filter (where s.is_masked) as n_masked_cells,
        bool_or(s.is_provisional) as is_provisional
    from ({{ with_aggregate_sectors(ref('int_counted_cells')) }}) as s
    where s.gender in ('MAN', 'VROUW')
    group by all
),

vo as (
    select v.*, v.sector as vo_sector from {{ ref('int_vo_profile_cells') }} as v
    union all
    select v.*, 'havo_vwo' from {{ ref('int_vo_profile_cells') }} as v
),

vo_genders as (
    select *, 'totaal' as share_gender from vo
    union all
    select *, lower(gender) from vo
),

vo_groups as (
    {{ with_school_groups('vo_genders', sector_column='vo_sector', year_column='year') }}
),

n_profiel as (
    select
        'share_n_profiel' as indicator, vo_sector as sector, 'instroom' as measure, share_gender as gender,
        school_group, year,
        sum(value) filter (where is_n_profiel) as numerator,
        sum(value) as denominator,
        count(*) filter (where is_masked) as n_masked_cells,
        bool_or(is_provisional) as is_provisional
    from vo_groups
    group by all
),

shares as (
    select * from women
    union all
    select * from n_profiel
)

select
    indicator,
    sector,
    measure,
    gender,
    school_group,
    cast(year as integer) as year,
    cast(coalesce(numerator, 0) as decimal(18, 1)) as numerator,
    cast(denominator as decimal(18, 1)) as denominator,
    {{ share_1dp('coalesce(numerator, 0)', 'denominator') }} as share_pct,
    cast(n_masked_cells as integer) as n_masked_cells,
    is_provisional
from shares
