{# Per figure of `mart`, `members` (an aggregate over the model's rows of that mart, current winning
   deliveries only) equals the mart's `published` column, for every mart row where `mart_where`
   holds; every current figure the model lists (one with winning cells in its own year) is a row of
   the mart; and no cell is a member twice. A figure whose year only superseded deliveries hold (its
   winning delivery was restated without those rows) is not current: the mart has no row for it. #}
{% test adds_up_to_mart(model, mart, grain, published, members, mart_where='true') %}
with from_members as (
    select
        {{ grain | join(', ') }},
        {{ members }} as from_members,
        count(*) - count(distinct (delivery_file, line_number, column_header, member_year)) as n_repeated
    from {{ model }}
    where mart = '{{ mart }}' and is_winner
    group by {{ grain | join(', ') }}
    having count(*) filter (where role = 'figure year') > 0
),

from_mart as (
    select {{ grain | join(', ') }}, {{ published }} as published, ({{ mart_where }}) as is_checked, true as in_mart
    from {{ ref(mart) }}
)

select *
from from_mart
full join from_members using ({{ grain | join(', ') }})
where in_mart is null
   or n_repeated > 0
   or (is_checked and published is distinct from from_members)
{% endtest %}
