-- havo/vwo leerjaar-4 cells of every profile (the denominators of the N-profiel shares), from the
-- winning delivery, per surviving institution code.
select
    w.*,
    p.is_n_profiel,
    coalesce(m.surviving_code, w.instellingscode) as institution
from ({{ winning_cells(ref('stg_vo_cells')) }}) as w
left join {{ ref('int_institution_map') }} as m using (instellingscode)
inner join {{ ref('vo_profiles') }} as p using (profiel)
