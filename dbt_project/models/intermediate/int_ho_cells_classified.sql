-- HO cells of every delivery, classified (the winning delivery per year is chosen downstream, so a
-- trace of an older publication finds its cells here too).
-- sector (contract 10.2), in this order: what the row states (TYPE HOGER ONDERWIJS hbo/wo, or the
--   first word of SOORT DIPLOMA), the institution's soort in reference/institutions.csv, DUO's file
--   name. A cell whose sector cannot be told is not counted and blocks its year like a quarantined cell.
-- bèta/techniek: reference/croho_classification.csv; a programme code missing there (or a table
--   without programme codes) counts when its onderdeel is natuur or techniek, whole value (contract 6.1).
-- counts_by_type (contract 10.3, seed ho_programme_types): a row that states no programme/diploma
--   type counts; otherwise its type decides. Rows of a type that does not count stay here, traceable.
with institutions as (
    select instellingscode, soort from {{ ref('stg_institutions') }} where soort in ('hbo', 'wo')
)

select
    c.* replace (
        coalesce(c.sector, i.soort, c.file_sector) as sector,
        -- a layout that states the sector and one that does not (G) compare row for row
        concat_ws(' | ', coalesce(c.sector, i.soort, c.file_sector), c.row_key) as row_key
    ),
    case
        when c.sector is not null then 'stated in the row'
        when i.soort is not null then 'reference/institutions.csv'
        when c.file_sector is not null then 'file name'
    end as sector_source,
    coalesce(k.is_betatechniek, c.onderdeel in ('natuur', 'techniek')) as is_betatechniek,
    coalesce(k.is_informatica, false) as is_informatica,
    case
        when k.opleidingscode is not null then 'croho classification'
        when c.opleidingscode is null then 'onderdeel (no programme code)'
        else 'onderdeel fallback'
    end as classified_by,
    coalesce(t.is_counted, true) as counts_by_type,
    case when not t.is_counted then c.programme_type || ': ' || t.reason end as type_exclusion
from {{ ref('stg_ho_cells') }} as c
left join {{ ref('stg_croho_classification') }} as k
    on c.opleidingscode = k.opleidingscode
left join institutions as i
    on c.sector is null and c.instellingscode = i.instellingscode
left join {{ ref('ho_programme_types') }} as t
    on c.programme_type = t.programme_type and c.measure = t.measure
