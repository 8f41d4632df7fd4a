-- Every raw cell (of every delivery) that counts towards a bèta/techniek figure, one row per cell and
-- (sector, measure) it counts in, with its provenance. int_counted_cells keeps the winning delivery
-- per dataset and year; `betamonitor trace` reads this model to list the raw cells behind a figure.
--   hbo / wo   instroom, uitstroom: CROHO bèta/techniek programmes; `_excl_informatica` without informatica
--   mbo        instroom, uitstroom: MBO SECTOR techniek
--   havo / vwo instroom: leerjaar 4 with an N-profiel (NT, NG, NT/NG; seed vo_profiles)
--   vmbo       uitstroom: sector techniek in BB/KB/GL; uitstroom_tl: sector techniek in TL
--   from DUO's exam file (vo_examenkandidaten): vmbo uitstroom = techniek in B/K/G/LWT, uitstroom_tl =
--              techniek in T; havo / vwo uitstroom = exam candidates whose profiles include N&T or N&G
-- HO rows count only when their programme/diploma type counts and their sector is known
-- (int_ho_cells_classified).
-- in_total (contract 11.3): the cell counts in totals (sector, institution, program figures). Where a
-- file has TOTAAL columns (mbo M2, the exam files) the TOTAAL cell is the count and its MAN / VROUW /
-- ONBEKEND cells count in gender figures only; elsewhere every cell (man, vrouw, onbekend) counts.
-- provincie (regional_growth; docs/data-definitions.md): the row's own province column; else its
-- municipality's (GEMEENTENUMMER, else GEMEENTENAAM, through reference/gemeenten.csv and its mergers);
-- else its institution's (reference/institutions.csv, the code or its surviving code); else `onbekend`.
-- province_source says which, province_resolution how.
with counted_values as (
    -- DUO's values that count (seed duo_value_domains, contract 11.2): MBO SECTOR / vmbo sector techniek
    select family, column_name, value from {{ ref('duo_value_domains') }} where is_counted
),

n_profielen as (
    select list(profiel) as profielen, list(exam_profile) filter (where exam_profile is not null) as exam_profiles
    from {{ ref('vo_profiles') }}
    where is_n_profiel
),

ho_counted as (
    select *,
           concat_ws(' ', coalesce(opleidingscode, 'onderdeel ' || onderdeel), opleidingsnaam)
               || coalesce(' (' || opleidingsvorm || ')', '') || coalesce(', ' || programme_type, '')
               as cell_description
    from {{ ref('int_ho_cells_classified') }}
    where is_betatechniek and counts_by_type and sector is not null
),

ho as (
    select *, sector as counted_sector, measure as counted_measure from ho_counted
    union all
    select *, sector, measure || '_excl_informatica' from ho_counted where not is_informatica
),

mbo as (
    select *, 'mbo' as counted_sector, measure as counted_measure,
           kwalificatiecode || ' ' || coalesce(kwalificatienaam, '') || ' (niveau ' || niveau || ', ' || type_mbo || ')'
               as cell_description
    from {{ ref('stg_mbo_cells') }} as w
    where mbo_sector in (select value from counted_values where family = 'mbo' and column_name = 'mbo_sector')
),

vo as (
    select w.*, sector as counted_sector, measure as counted_measure,
           'vestiging ' || vestigingsnummer || ', leerjaar ' || leerjaar || ', profiel ' || profiel as cell_description
    from {{ ref('stg_vo_cells') }} as w, n_profielen as n
    where list_contains(n.profielen, w.profiel)
),

vmbo as (
    select *, 'vmbo' as counted_sector,
           case when leerweg = 'TL' then 'uitstroom_tl' else 'uitstroom' end as counted_measure,
           'vestiging ' || vestigingsnummer || ', leerweg ' || leerweg || ', sector techniek' as cell_description
    from {{ ref('stg_vmbo_cells') }} as w
    where vmbo_sector in (select value from counted_values where family = 'vmbo' and column_name = 'vmbo_sector')
),

vo_exam as (
    select e.*,
           sector as counted_sector,
           case when sector = 'vmbo' and leerweg = 'T' then 'uitstroom_tl' else 'uitstroom' end as counted_measure,
           'vestiging ' || vestigingsnummer || ', ' || opleidingsnaam as cell_description
    from {{ ref('stg_vo_exam_cells') }} as e, n_profielen as n
    -- no TL figure for a year in which DUO stated no sector for VMBO T candidates (series break)
    where not exists (select 1 from {{ ref('int_vmbo_tl_coverage') }} as t
                      where e.leerweg = 'T' and t.delivery_file = e.delivery_file and t.year = e.year
                        and not t.is_available)
      and ((sector = 'vmbo' and leerweg in ('B', 'K', 'G', 'T', 'LWT')
            and richting in (select value from counted_values where family = 'vo_exam' and column_name = 'vmbo_sector'))
           or (sector in ('havo', 'vwo') and list_has_any(string_split(richting, ' / '), n.exam_profiles)))
),

-- One CTE above per declared family (var duo_datasets): its counting rule.
all_cells as (
    {% for family in duo_families() %}
    select dataset, counted_sector as sector, counted_measure as measure, year, instellingscode, gender,
           value, value_low, value_high, is_masked, in_total,
           delivery_file, delivery_date, sha256, layout, line_number, column_header, raw_value, cell_description,
           row_key, row_key_parts, {{ geography_columns(family) }}
    from {{ family }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

with_institution as (
    select c.*, coalesce(m.surviving_code, c.instellingscode) as institution
    from all_cells as c
    left join {{ ref('int_institution_map') }} as m using (instellingscode)
)

select
    c.* exclude (provincie),
    coalesce(c.provincie, by_number.provincie, by_name.provincie, own.provincie, surviving.provincie, 'onbekend')
        as provincie,
    case
        when c.provincie is not null then 'own column'
        when coalesce(by_number.provincie, by_name.provincie) is not null then 'municipality'
        when coalesce(own.provincie, surviving.provincie) is not null then 'institution'
        else 'unknown'
    end as province_source,
    case
        when c.provincie is not null then 'PROVINCIE'
        when by_number.provincie is not null then 'GEMEENTENUMMER ' || by_number.resolution
        when by_name.provincie is not null then 'GEMEENTENAAM ' || c.gemeentenaam || ': ' || by_name.resolution
        when own.provincie is not null then 'reference/institutions.csv ' || own.instellingscode
        when surviving.provincie is not null
            then 'reference/institutions.csv ' || c.instellingscode || ' -> ' || surviving.instellingscode
        else 'no province column, municipality or institution province'
    end as province_resolution
from with_institution as c
left join {{ ref('int_municipalities') }} as by_number
    on by_number.gemeentenummer = lpad(trim(c.gemeentenummer), 4, '0')
left join {{ ref('int_municipality_names') }} as by_name
    on by_number.provincie is null and by_name.name_key = {{ spelling_key('c.gemeentenaam') }}
left join {{ ref('stg_institutions') }} as own on own.instellingscode = c.instellingscode
left join {{ ref('stg_institutions') }} as surviving on surviving.instellingscode = c.institution
