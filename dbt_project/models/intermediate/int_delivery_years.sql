-- Vintage stitching (raw-data contract, section 2): for each dataset and year, every delivery that
-- contains the year, ranked newest first. Rank 1 wins; the others are superseded (restated).
-- The newest year of a delivery is provisional (voorlopig).
-- Quarantined cells count too: a delivery whose cells for a year are all quarantined still holds
-- that year, so an older delivery must not silently take its place.
with delivery_years as (
    {% for model in ['stg_ho_cells', 'stg_mbo_cells', 'stg_vo_cells', 'stg_vmbo_cells'] %}
    select dataset, delivery_file, delivery_date, year from {{ ref(model) }}
    union
    {% endfor %}
    select dataset, delivery_file, delivery_date, year from {{ ref('stg_quarantine') }} where year is not null
),

ranked as (
    select
        *,
        year = max(year) over (partition by delivery_file) as is_provisional,
        row_number() over (partition by dataset, year order by delivery_date desc, delivery_file desc) as vintage_rank
    from delivery_years
)

select *, vintage_rank = 1 as is_winner
from ranked
