-- Readable exam-candidate cells of DUO's "examenkandidaten en geslaagden" file (vmbo, havo, vwo),
-- known as of the run. GESLAAGDEN and SLAAGPERC are landed beside each count; typed here, never counted.
with cells as (
    {{ staged_family_cells('vo_exam') }}
)

select
    * exclude (geslaagden, slaagperc),
    geslaagden as geslaagden_raw,
    case when geslaagden = '<5' then null else try_cast(nullif(geslaagden, '') as bigint) end as geslaagden,
    geslaagden = '<5' as geslaagden_is_masked,
    try_cast(nullif(slaagperc, '') as decimal(5, 1)) as slaagperc
from cells
