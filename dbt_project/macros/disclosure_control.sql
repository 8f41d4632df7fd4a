{# Statistical disclosure control of a published breakdown (institution_growth, regional_growth):
   `relation` has sector, measure, year, the breakdown's `unit` column, value and baseline_value; the
   result adds `suppression_reason` (null = published). `baseline_applies`: a boolean SQL expression,
   false for a row whose series has no baseline year at all (it publishes its values without index, as
   sector_growth does, instead of being suppressed for lack of a baseline).
     primary    a figure resting on fewer than var min_publishable_count persons (value or baseline
                value) is suppressed; a suppressed baseline suppresses the whole series (growth would
                reveal it);
     secondary  where exactly one unit of a sector/measure/year is suppressed, the smallest other one
                is suppressed too, so the sector total cannot reveal it by differencing. #}
{% macro with_disclosure_control(relation, unit, baseline_applies='true') -%}
    {%- set n = var('min_publishable_count') -%}
    (
        with primary_suppressed as (
            select
                *,
                case
                    when ({{ baseline_applies }}) and coalesce(baseline_value, 0) < {{ n }} then 'primary: baseline rests on fewer than {{ n }} persons'
                    when value < {{ n }} then 'primary: rests on fewer than {{ n }} persons'
                end as primary_reason
            from {{ relation }}
        ),

        secondary as (
            -- per sector/measure/year with exactly one primary suppression: the smallest unsuppressed figure
            select sector, measure, year,
                   arg_min({{ unit }}, (value, {{ unit }})) filter (where primary_reason is null) as {{ unit }}
            from primary_suppressed
            group by sector, measure, year
            having count(*) filter (where primary_reason is not null) = 1
               and count(*) filter (where primary_reason is null) > 0
        )

        select
            p.* exclude (primary_reason),
            coalesce(p.primary_reason,
                     case when s.{{ unit }} is not null
                          then 'secondary: protects another suppressed figure from differencing' end) as suppression_reason
        from primary_suppressed as p
        left join secondary as s
            on s.sector = p.sector and s.measure = p.measure and s.year = p.year and s.{{ unit }} = p.{{ unit }}
    )
{%- endmacro %}

{# A disclosure-controlled mart's figure columns (value .. growth_pct) of the ruled relation `r`: empty
   where the figure is suppressed. #}
{% macro disclosed_figure_columns(r) -%}
    {%- set published = r ~ '.suppression_reason is null' -%}
    case when {{ published }} then cast({{ r }}.value as decimal(18, 1)) end as value,
    case when {{ published }} then cast({{ r }}.value_low as bigint) end as value_low,
    case when {{ published }} then cast({{ r }}.value_high as bigint) end as value_high,
    case when {{ published }} then cast({{ r }}.n_masked_cells as integer) end as n_masked_cells,
    cast({{ r }}.baseline_year as integer) as baseline_year,
    case when {{ published }} then cast({{ r }}.baseline_value as decimal(18, 1)) end as baseline_value,
    case when {{ published }} then {{ index_1dp(r ~ '.value', r ~ '.baseline_value') }} end as index,
    case when {{ published }} then
        cast({{ index_1dp(r ~ '.value', r ~ '.baseline_value') }} - 100 as decimal(18, 1)) end as growth_pct
{%- endmacro %}

{# The symbol (`c` = suppressed, empty = published) and the rule that suppressed the figure. #}
{% macro suppression_columns(r) -%}
    case when {{ r }}.suppression_reason is null then '' else 'c' end as suppression,
    coalesce({{ r }}.suppression_reason, '') as suppression_reason
{%- endmacro %}
