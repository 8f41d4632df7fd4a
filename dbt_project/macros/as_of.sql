{# Deliveries count when dated on or before the run's as-of date (empty var = all deliveries). #}
{% macro known_as_of(date_col) -%}
    {%- if var('as_of') -%}{{ date_col }} <= cast('{{ var("as_of") }}' as date){%- else -%}true{%- endif -%}
{%- endmacro %}

{# Deliveries withdrawn with `betamonitor withdraw` (decisions.csv) are kept in landing but used nowhere,
   whatever their bytes: a withdrawal is matched on the delivery file, not its sha256 (the run logs a
   withdrawal whose file changed since). An acceptance is matched on file and sha256 (int_delivery_revisions). #}
{% macro not_withdrawn(file_col) -%}
    {{ file_col }} not in (select delivery_file from {{ source('landing', 'delivery_decisions') }}
                           where decision = 'withdrawn')
{%- endmacro %}
