
    
    

select
    opleidingscode as unique_field,
    count(*) as n_records

from "warehouse"."staging"."stg_croho_classification"
where opleidingscode is not null
group by opleidingscode
having count(*) > 1


