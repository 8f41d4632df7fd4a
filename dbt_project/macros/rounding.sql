{# 100 * numerator / denominator rounded to one decimal, half away from zero, computed exactly.
   Counts are multiples of 0.5, so doubling makes them integers and the rounding is integer
   arithmetic: no binary floating point can turn 104.25 into 104.2. Returns DECIMAL(18,1), or NULL
   when the denominator is 0 or NULL (an index on nothing is undefined). #}
{% macro index_1dp(numerator, denominator) -%}
    cast(
        sign(({{ numerator }}) * ({{ denominator }}))
        * ((2000 * abs(cast(2 * ({{ numerator }}) as hugeint)) + abs(cast(2 * ({{ denominator }}) as hugeint)))
           // nullif(2 * abs(cast(2 * ({{ denominator }}) as hugeint)), 0))
        * 0.1
    as decimal(18, 1))
{%- endmacro %}

{# index and growth_pct columns of a growth mart (value indexed on baseline_value). #}
{% macro growth_columns(value, baseline_value) -%}
    {{ index_1dp(value, baseline_value) }} as index,
    cast({{ index_1dp(value, baseline_value) }} - 100 as decimal(18, 1)) as growth_pct
{%- endmacro %}

{# 100 * part / total as a percentage with one decimal, half away from zero (exact). #}
{% macro share_1dp(part, total) -%}
    {{ index_1dp(part, total) }}
{%- endmacro %}
