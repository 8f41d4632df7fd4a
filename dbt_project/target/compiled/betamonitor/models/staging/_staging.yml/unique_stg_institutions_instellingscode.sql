
    
    

select
    instellingscode as unique_field,
    count(*) as n_records

from "warehouse"."staging"."stg_institutions"
where instellingscode is not null
group by instellingscode
having count(*) > 1


