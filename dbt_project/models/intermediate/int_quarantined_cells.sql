-- Every quarantined cell with the figures it could count toward (contract 11.6): its dataset and year
-- and, where the row tells it, its sector and measure. `sector` / `measure` empty = every sector /
-- measure the dataset feeds. `counts_nowhere`: the row states a known value that does not count
-- under any reading (`VMBO T` without a sector, a `postmaster`, MBO SECTOR `economie`, a non-bèta
-- programme): it is landed and traceable, and blocks nothing.
-- HO cells whose sector could not be told (int_ho_cells_classified) are here too: they block every
-- sector of their dataset for their year.
with quarantined as (
    select * from {{ ref('stg_quarantine') }}
),

not_counted_values as (
    select family, column_name, value from {{ ref('duo_value_domains') }} where not is_counted
),

ho_types as (
    select measure, programme_type, is_counted from {{ ref('ho_programme_types') }}
),

classified as (
    select
        q.*,
        case
            when q.family = 'ho' then coalesce(q.stated_sector, i.soort, q.file_sector)
            when q.family = 'mbo' then 'mbo'
            when q.family = 'vmbo' then 'vmbo'
            when q.family in ('vo', 'vo_exam') then q.stated_sector
        end as sector,
        case
            when q.family = 'vmbo' and q.leerweg = 'TL' then 'uitstroom_tl'
            when q.family = 'vmbo' and q.leerweg in ('BB', 'KB', 'GL') then 'uitstroom'
            when q.family = 'vo_exam' and q.stated_sector = 'vmbo' and q.leerweg = 'T' then 'uitstroom_tl'
            when q.family = 'vo_exam' and q.stated_sector = 'vmbo' and q.leerweg is not null then 'uitstroom'
        end as measure,
        case
            when q.family = 'ho' then
                not coalesce(t.is_counted, true)
                -- not bèta/techniek: the CROHO classification, else the onderdeel fallback (int_ho_cells_classified)
                or coalesce(not k.is_betatechniek, q.onderdeel not in ('natuur', 'techniek'), false)
            when q.family = 'mbo' then q.mbo_sector in (select value from not_counted_values
                                                         where family = 'mbo' and column_name = 'mbo_sector')
            when q.family = 'vmbo' then q.vmbo_sector in (select value from not_counted_values
                                                           where family = 'vmbo' and column_name = 'vmbo_sector')
            when q.family = 'vo_exam' and q.stated_sector = 'vmbo' then
                q.richting is null and q.leerweg is not null
                or q.richting in (select value from not_counted_values
                                  where family = 'vo_exam' and column_name = 'vmbo_sector')
            else false
        end as counts_nowhere
    from quarantined as q
    left join {{ ref('stg_institutions') }} as i
        on q.family = 'ho' and q.stated_sector is null and q.instellingscode = i.instellingscode
       and i.soort in ('hbo', 'wo')
    left join {{ ref('stg_croho_classification') }} as k on q.family = 'ho' and q.opleidingscode = k.opleidingscode
    left join ho_types as t
        on q.family = 'ho' and t.programme_type = q.programme_type
       and t.measure = {{ dataset_measure('q.dataset') }}
)

select dataset, delivery_file, delivery_date, line_number, column_header, raw_value, year, sector, measure,
       coalesce(counts_nowhere, false) as counts_nowhere, quarantine_reason
from classified

union all

select dataset, delivery_file, delivery_date, line_number, column_header, raw_value, year, null, null,
       not (is_betatechniek and counts_by_type),
       'the sector (hbo/wo) cannot be told: not in the row, reference/institutions.csv or the file name'
from {{ ref('int_ho_cells_classified') }}
where sector is null
