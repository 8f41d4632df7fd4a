{# A masked DUO cell (real value 1-4) counts as masked_point in the point estimate and as
   masked_low / masked_high in the bounds; an empty cell is 0 (raw-data contract, section 4). #}
{% macro masked_count(count_col, masked_col, bound='point') -%}
    case when {{ masked_col }} then {{ var('masked_' ~ bound) }} else coalesce({{ count_col }}, 0) end
{%- endmacro %}
