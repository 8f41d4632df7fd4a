{# 100 * numerator / denominator rounded to one decimal, half away from zero, computed exactly.
   Counts are multiples of 0.5, so doubling makes them integers and the rounding is integer
   arithmetic: no binary floating point can turn 104.25 into 104.2. Returns DECIMAL(18,1). #}
{% macro index_1dp(numerator, denominator) -%}
    cast(
        sign(({{ numerator }}) * ({{ denominator }}))
        * ((2000 * abs(cast(2 * ({{ numerator }}) as hugeint)) + abs(cast(2 * ({{ denominator }}) as hugeint)))
           // (2 * abs(cast(2 * ({{ denominator }}) as hugeint))))
        * 0.1
    as decimal(18, 1))
{%- endmacro %}
