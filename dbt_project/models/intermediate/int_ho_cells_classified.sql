-- HO cells of every delivery, classified bèta/techniek and informatica (the winning delivery per
-- year is chosen downstream, so a trace of an older publication finds its cells here too).
-- A programme code missing from the CROHO classification counts as bèta/techniek when its
-- onderdeel is natuur or techniek (raw-data contract 6.1); such codes are listed in
-- int_ho_unclassified_programmes.
select
    c.*,
    coalesce(k.is_betatechniek, c.onderdeel in ('natuur', 'techniek')) as is_betatechniek,
    coalesce(k.is_informatica, false) as is_informatica,
    case when k.opleidingscode is null then 'onderdeel fallback' else 'croho classification' end
        as classified_by
from {{ ref('stg_ho_cells') }} as c
left join {{ ref('stg_croho_classification') }} as k
    on c.opleidingscode = k.opleidingscode
