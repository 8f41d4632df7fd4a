-- Cells and rows quarantined at ingest, from every DUO dataset, known as of the run.
{% for dataset in duo_datasets() %}
select '{{ dataset }}' as dataset, delivery_file, delivery_date, line_number, column_header, raw_value, year,
       quarantine_reason
from {{ source('landing', dataset) }}
where quarantine_reason is not null and {{ known_as_of('delivery_date') }}
  and {{ not_withdrawn('delivery_file') }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
