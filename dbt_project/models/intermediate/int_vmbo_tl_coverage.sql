-- The vmbo TL series break (contract 11.2): until school year 2017-2018 DUO stated no sector for
-- VMBO T candidates (`VMBO T` alone; `VMBO T - <sector>` rows hold 0). Per exam delivery and year:
-- the VMBO T candidates with and without a sector (TOTAAL cells). A year in which none has a sector
-- cannot tell vmbo uitstroom_tl: `is_available` false, and int_classified_cells counts no TL cell of
-- it (no figure, never 0, never a baseline). Where only some lack a sector, they are left out and
-- the published metadata says how many (`without_sector`).
select
    dataset,
    delivery_file,
    year,
    sum(value) filter (where richting is not null) as with_sector,
    sum(value) filter (where richting is null) as without_sector,
    coalesce(sum(value) filter (where richting is not null), 0) > 0 as is_available
from {{ ref('stg_vo_exam_cells') }}
where sector = 'vmbo' and leerweg = 'T' and in_total
group by all
