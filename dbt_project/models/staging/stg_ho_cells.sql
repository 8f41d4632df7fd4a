-- Every readable HO count cell known as of the run's as-of date, from both datasets, with the
-- masking arithmetic applied: value (masked = 2.5), value_low (masked = 1), value_high (masked = 4).
-- Quarantined cells are left out here; the quality gate counts them separately.
with cells as (
    select 'ho_eerstejaars' as dataset, 'instroom' as measure, * from {{ source('landing', 'ho_eerstejaars') }}
    union all by name
    select 'ho_gediplomeerden' as dataset, 'uitstroom' as measure, * from {{ source('landing', 'ho_gediplomeerden') }}
)

select
    dataset,
    measure,
    delivery_file,
    delivery_date,
    sha256,
    layout,
    line_number,
    column_header,
    raw_value,
    year,
    gender,
    sector,
    instellingscode,
    instellingsnaam,
    onderdeel,
    opleidingscode,
    opleidingsnaam,
    opleidingsvorm,
    opleidingsfase,
    is_masked,
    count_value,
    cast({{ masked_count('count_value', 'is_masked', 'point') }} as decimal(18, 1)) as value,
    cast({{ masked_count('count_value', 'is_masked', 'low') }} as bigint) as value_low,
    cast({{ masked_count('count_value', 'is_masked', 'high') }} as bigint) as value_high
from cells
where quarantine_reason is null
  and {{ known_as_of('delivery_date') }}
