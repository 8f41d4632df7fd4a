-- Programme codes in the winning HO data that the CROHO classification does not know: reported by
-- every run so the reference file can be completed.
select
    opleidingscode,
    min(opleidingsnaam) as opleidingsnaam,
    min(onderdeel) as onderdeel,
    bool_or(is_betatechniek) as counted_as_betatechniek,
    list(distinct dataset order by dataset) as datasets,
    min(year) as first_year,
    max(year) as last_year
from ({{ winning_cells(ref('int_ho_cells_classified')) }}) as c
where classified_by = 'onderdeel fallback'
group by opleidingscode
