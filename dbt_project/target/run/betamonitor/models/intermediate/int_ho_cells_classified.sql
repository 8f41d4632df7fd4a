
    

    create  table
      "warehouse"."intermediate"."int_ho_cells_classified__dbt_tmp"
  
    
    as (
      -- The winning delivery's cells per dataset and year, classified bèta/techniek and informatica.
-- A programme code missing from the CROHO classification counts as bèta/techniek when its
-- onderdeel is natuur or techniek (raw-data contract 6.1); such codes are listed in
-- int_ho_unclassified_programmes.
select
    c.*,
    d.is_provisional,
    coalesce(k.is_betatechniek, c.onderdeel in ('natuur', 'techniek')) as is_betatechniek,
    coalesce(k.is_informatica, false) as is_informatica,
    case when k.opleidingscode is null then 'onderdeel fallback' else 'croho classification' end
        as classified_by
from "warehouse"."staging"."stg_ho_cells" as c
inner join "warehouse"."intermediate"."int_ho_delivery_years" as d
    on c.dataset = d.dataset and c.delivery_file = d.delivery_file and c.year = d.year and d.is_winner
left join "warehouse"."staging"."stg_croho_classification" as k
    on c.opleidingscode = k.opleidingscode
    );
    
  