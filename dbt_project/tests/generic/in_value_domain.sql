{# Every value of the column is a known DUO value of `family` / `domain_column` (seed duo_value_domains). #}
{% test in_value_domain(model, column_name, family, domain_column) %}
select {{ column_name }} as value
from {{ model }}
where {{ column_name }} is not null
  and {{ column_name }} not in (
      select value from {{ ref('duo_value_domains') }}
      where family = '{{ family }}' and column_name = '{{ domain_column }}')
{% endtest %}
