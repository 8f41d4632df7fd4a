{# Every row satisfies the SQL boolean `expression`. #}
{% test expression_true(model, expression) %}
select * from {{ model }} where not coalesce(({{ expression }}), false)
{% endtest %}
