
    
    



select opleidingscode
from "warehouse"."staging"."stg_croho_classification"
where opleidingscode is null


