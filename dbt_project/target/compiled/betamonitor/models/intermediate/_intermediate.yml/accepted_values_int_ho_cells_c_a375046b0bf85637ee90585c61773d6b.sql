
    
    

with all_values as (

    select
        classified_by as value_field,
        count(*) as n_records

    from "warehouse"."intermediate"."int_ho_cells_classified"
    group by classified_by

)

select *
from all_values
where value_field not in (
    'croho classification','onderdeel fallback'
)


