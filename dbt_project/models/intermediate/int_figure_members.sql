{{ config(materialized='view') }}
-- The members of every published figure of the traceable marts (sector_growth, institution_growth,
-- program_growth, gender_shares, regional_growth): one row per raw cell a figure counts, for the
-- figure's year and (growth marts) its baseline year, keyed by the mart's grain; each cell with its
-- province and how it was found (int_classified_cells). `betamonitor trace` takes a figure's
-- population from here, re-reads the cells from the raw files and recomputes the figure itself.
-- Built from the models the marts aggregate (int_counted_cells, int_institution_values,
-- int_participation_years, int_vo_profile_cells) with the marts' own membership rules, so the rows
-- with `is_winner` are by construction the cells the current marts count (the data tests sum them
-- against the marts). Cells of superseded deliveries are listed too (`is_winner` false), with the
-- same rules, so that an older publication, whose recorded deliveries won then, still traces.
-- A view: it repeats each baseline cell for every year of its series and each cell per program and
-- school group, which is cheap to filter for one figure and wasteful to store.
with cells as (
    select * exclude (is_provisional), true as is_winner from {{ ref('int_counted_cells') }}
    union all by name
    select c.*, false as is_winner
    from {{ ref('int_classified_cells') }} as c
    inner join {{ ref('int_delivery_years') }} as d
        on c.dataset = d.dataset and c.delivery_file = d.delivery_file and c.year = d.year and c.sector = d.sector
       and not d.is_winner
),

vo_cells as (
    select * exclude (is_provisional), true as is_winner from {{ ref('int_vo_profile_cells') }}
    union all by name
    select c.*, p.is_n_profiel,
           coalesce(m.surviving_code, c.instellingscode) as institution, false as is_winner
    from {{ ref('stg_vo_cells') }} as c
    inner join {{ ref('int_delivery_years') }} as d
        on c.dataset = d.dataset and c.delivery_file = d.delivery_file and c.year = d.year and c.sector = d.sector
       and not d.is_winner
    left join {{ ref('int_institution_map') }} as m using (instellingscode)
    inner join {{ ref('vo_profiles') }} as p using (profiel)
),

-- each cell under its own sector and again under its aggregate sector (ho = hbo + wo, ...)
{% set as_member %}
    * exclude (instellingscode, gender, year),
    sector as cell_sector, instellingscode as cell_instellingscode, gender as cell_gender, year as member_year
{% endset %}
sector_cells as (
    {{ with_aggregate_sectors('(select ' ~ as_member ~ ' from cells)') }}
),

vo_sector_cells as (
    {{ with_aggregate_sectors("(select " ~ as_member ~ ", 'vestiging ' || vestigingsnummer || ', profiel ' || profiel
                                as cell_description from vo_cells)") }}
),

targets as (
    select sector, measure from {{ ref('growth_targets') }}
),

programs as (
    select programma as program, sector from {{ ref('program_sectors') }}
    union all
    select distinct 'ANY', sector from {{ ref('program_sectors') }}
),

-- the figures of the growth marts
sector_figures as (
    select distinct 'sector_growth' as mart, sector, measure, member_year as year
    from sector_cells inner join targets using (sector, measure)
    where in_total
),

regional_figures as (
    -- sector_growth split by the cell's province (int_classified_cells.provincie, `onbekend` when none)
    select distinct 'regional_growth' as mart, sector, measure, provincie, member_year as year
    from sector_cells inner join targets using (sector, measure)
    where in_total
),

institution_figures as (
    -- the figures whose members are the cells of one or more institutions
    select distinct 'institution_growth' as mart, sector, measure, institution, institution as instellingscode,
           member_year as year
    from sector_cells inner join targets using (sector, measure)
    where in_total
    union all by name
    -- program_growth: institutions with data in the year and in the baseline year; participants take
    -- part in the program (any program of the sector for ANY) in the figure's year
    select
        'program_growth' as mart,
        pr.program,
        cur.sector,
        cur.measure,
        cur.year,
        cur.institution,
        case when exists (
            select 1 from {{ ref('int_participation_years') }} as p
            inner join {{ ref('program_sectors') }} as ps on ps.programma = p.programma and ps.sector = cur.sector
            where p.institution = cur.institution and p.year = cur.year
              and (pr.program = 'ANY' or p.programma = pr.program)
        ) then 'participants' else 'non_participants' end as participation
    from {{ ref('int_institution_values') }} as cur
    inner join targets as t on t.sector = cur.sector and t.measure = cur.measure
    inner join {{ ref('int_institution_values') }} as base
        on base.sector = cur.sector and base.measure = cur.measure and base.institution = cur.institution
       and base.year = {{ var('baseline_year') }}
    inner join programs as pr on pr.sector = cur.sector
),

-- the growth marts' figures, one row per member year: the figure's year and its baseline year
{% for figures in ['sector_figures', 'regional_figures', 'institution_figures'] %}
{{ figures }}_years as (
    select *, year as member_year, 'figure year' as role from {{ figures }}
    union all
    select *, {{ var('baseline_year') }}, 'baseline year' from {{ figures }} where year <> {{ var('baseline_year') }}
),
{% endfor %}

vo_groups as (
    -- gender_shares share_n_profiel: by gender (totaal and the cell's own) and school group
    {{ with_school_groups('vo_sector_cells', sector_column='sector', year_column='member_year') }}
),

members as (
    select f.* exclude (member_year), c.* exclude (sector, measure)
    from sector_figures_years as f
    inner join sector_cells as c
        on c.sector = f.sector and c.measure = f.measure and c.member_year = f.member_year and c.in_total

    union all by name
    select f.* exclude (member_year), c.* exclude (sector, measure, provincie)
    from regional_figures_years as f
    inner join sector_cells as c
        on c.sector = f.sector and c.measure = f.measure and c.provincie = f.provincie
       and c.member_year = f.member_year and c.in_total

    union all by name
    select f.* exclude (member_year, institution), c.* exclude (sector, measure)
    from institution_figures_years as f
    inner join sector_cells as c
        on c.sector = f.sector and c.measure = f.measure and c.institution = f.institution
       and c.member_year = f.member_year and c.in_total

    union all by name
    select 'gender_shares' as mart, 'share_women' as indicator, c.sector, c.measure, 'vrouw' as gender,
           'all schools' as school_group, c.member_year as year, 'figure year' as role,
           c.cell_gender = 'VROUW' as in_numerator, c.* exclude (sector, measure)
    from sector_cells as c
    where c.cell_gender in ('MAN', 'VROUW')

    union all by name
    select 'gender_shares' as mart, 'share_n_profiel' as indicator, g.sector, 'instroom' as measure,
           genders.gender, g.school_group, g.member_year as year, 'figure year' as role,
           g.is_n_profiel as in_numerator,
           g.* exclude (sector, measure, school_group, provincie)  -- a profile cell's province is not resolved
    from vo_groups as g
    cross join lateral (select 'totaal' as gender union all select lower(g.cell_gender)) as genders
)

select
    mart,
    -- the figure: the mart's grain (a column outside that mart's grain is empty, except provincie:
    -- regional_growth's grain and, for every mart, the cell's own province)
    sector, measure, instellingscode, program, participation, indicator, gender, school_group, provincie,
    cast(year as integer) as year,
    case when mart <> 'gender_shares' then {{ var('baseline_year') }} end as baseline_year,
    -- the member: a raw cell (with its institution), in the figure's year or its baseline year
    role,
    cast(member_year as integer) as member_year,
    institution,
    is_winner,
    in_numerator,
    dataset, delivery_file, delivery_date, sha256, layout, line_number, column_header, raw_value,
    value, value_low, value_high, is_masked,
    cell_sector, cell_instellingscode, cell_gender, cell_description,
    -- how the cell's province was found (int_classified_cells)
    province_source, province_resolution
from members
