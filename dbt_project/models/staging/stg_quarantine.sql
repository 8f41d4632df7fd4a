-- Cells and rows quarantined at ingest, from every DUO dataset, known as of the run, with the
-- dimension values the row states that tell which figures it could count toward (contract 11.6):
-- int_quarantined_cells reads them. A whole-row problem (wrong field count) states none.
{%- set dims = {
    'ho': ['sector', 'file_sector', 'instellingscode', 'onderdeel', 'opleidingscode', 'programme_type'],
    'mbo': ['mbo_sector'],
    'vmbo': ['vmbo_sector', 'leerweg'],
    'vo': ['sector'],
    'vo_exam': ['sector', 'leerweg', 'richting'],
} %}
{% for dataset in duo_datasets() %}
{%- set family = var('duo_datasets')[dataset].family %}
select '{{ dataset }}' as dataset, '{{ family }}' as family, delivery_file, delivery_date, line_number,
       column_header, raw_value, year, gender, quarantine_reason
       {%- for dim in dims.get(family, []) %}, {{ 'sector as stated_sector' if dim == 'sector' else dim }}{% endfor %}
from {{ source('landing', dataset) }}
where quarantine_reason is not null and {{ known_as_of('delivery_date') }}
  and {{ not_withdrawn('delivery_file') }}
{% if not loop.last %}union all by name{% endif %}
{% endfor %}
