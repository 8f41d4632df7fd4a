
    
    

select
    opleidingscode as unique_field,
    count(*) as n_records

from "warehouse"."intermediate"."int_ho_unclassified_programmes"
where opleidingscode is not null
group by opleidingscode
having count(*) > 1


