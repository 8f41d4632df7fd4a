{# A masked DUO cell (real value 1-4) counts as masked_point in the point estimate and as
   masked_low / masked_high in the bounds; an empty cell is 0 (raw-data contract, section 4). #}
{% macro masked_count(count_col, masked_col, bound='point') -%}
    case when {{ masked_col }} then {{ var('masked_' ~ bound) }} else coalesce({{ count_col }}, 0) end
{%- endmacro %}

{# One dataset's readable landing cells known as of the run, with dataset, measure (declared in var
   duo_datasets), the masked arithmetic (value / value_low / value_high) and the row a cell belongs to
   (var duo_row_keys of its family): `row_key` as text, `row_key_parts` as a list (empty dimensions
   null), which the revision check compares between vintages on the dimensions both state. #}
{% macro staged_cells(dataset, row_key) -%}
select
    '{{ dataset }}' as dataset,
    '{{ var('duo_datasets')[dataset].measure }}' as measure,
    * exclude (quarantine_reason) replace (coalesce(in_total, true) as in_total),
    cast({{ masked_count('count_value', 'is_masked', 'point') }} as decimal(18, 1)) as value,
    cast({{ masked_count('count_value', 'is_masked', 'low') }} as bigint) as value_low,
    cast({{ masked_count('count_value', 'is_masked', 'high') }} as bigint) as value_high,
    concat_ws(' | ', {{ row_key | join(', ') }}) as row_key,
    [{{ row_key | join(', ') }}]::varchar[] as row_key_parts
from {{ source('landing', dataset) }}
where quarantine_reason is null
  and {{ known_as_of('delivery_date') }}
  and {{ not_withdrawn('delivery_file') }}
{%- endmacro %}

{# The cells of `relation` (with a `sector` column) that come from the winning delivery of their
   dataset, sector and year (int_delivery_years, contract 11.1). #}
{% macro winning_cells(relation) -%}
select c.*, d.is_provisional
from {{ relation }} as c
inner join {{ ref('int_delivery_years') }} as d
    on c.dataset = d.dataset and c.delivery_file = d.delivery_file and c.year = d.year and c.sector = d.sector
   and d.is_winner
{%- endmacro %}

{# `relation` (cells with a `sector` column) plus the same cells again under their aggregate sector
   (ho = hbo + wo, havo_vwo = havo + vwo; seed sector_aggregates). #}
{% macro with_aggregate_sectors(relation) -%}
    select * from {{ relation }}
    union all
    select c.* replace (a.aggregate_sector as sector)
    from {{ relation }} as c
    inner join {{ ref('sector_aggregates') }} as a on c.sector = a.part_sector
{%- endmacro %}

{# Bèta/techniek counts (point, bounds, masked cells, provisional) per sector (incl. aggregates),
   measure, `unit` (a column of int_counted_cells: institution, provincie) and year. #}
{% macro counted_values_by(unit) -%}
with by_sector as (
    {{ with_aggregate_sectors("(select * from " ~ ref('int_counted_cells') ~ " where in_total)") }}
)

select
    sector,
    measure,
    {{ unit }},
    year,
    sum(value) as value,
    sum(value_low) as value_low,
    sum(value_high) as value_high,
    count(*) filter (where is_masked) as n_masked_cells,
    bool_or(is_provisional) as is_provisional
from by_sector
group by all
{%- endmacro %}
