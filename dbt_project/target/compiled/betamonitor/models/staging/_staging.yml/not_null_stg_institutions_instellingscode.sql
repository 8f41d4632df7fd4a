
    
    



select instellingscode
from "warehouse"."staging"."stg_institutions"
where instellingscode is null


