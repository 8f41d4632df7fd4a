{# The rows of `relation` (with an `institution` column) under each school group they count in: all
   schools; the participants of each program that works in the row's sector (seed program_sectors)
   in the row's year (int_participation_years); and the participants of ANY program of the sector
   (a school in two programs once). gender_shares and int_figure_members use this one rule. #}
{% macro with_school_groups(relation, sector_column, year_column) -%}
    select g.*, 'all schools' as school_group from {{ relation }} as g
    union all
    select g.*, p.programma || ' participants'
    from {{ relation }} as g
    inner join {{ ref('int_participation_years') }} as p
        on p.institution = g.institution and p.year = g.{{ year_column }}
    inner join {{ ref('program_sectors') }} as ps on ps.programma = p.programma and ps.sector = g.{{ sector_column }}
    union all
    select g.*, 'ANY participants'
    from {{ relation }} as g
    where exists (
        select 1 from {{ ref('int_participation_years') }} as p
        inner join {{ ref('program_sectors') }} as ps on ps.programma = p.programma and ps.sector = g.{{ sector_column }}
        where p.institution = g.institution and p.year = g.{{ year_column }})
{%- endmacro %}
