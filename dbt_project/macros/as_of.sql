{# Deliveries count when dated on or before the run's as-of date (empty var = all deliveries). #}
{% macro known_as_of(date_col) -%}
    {%- if var('as_of') -%}{{ date_col }} <= cast('{{ var("as_of") }}' as date){%- else -%}true{%- endif -%}
{%- endmacro %}
