-- Vintage stitching (raw-data contract, section 2): for each dataset and year, every delivery that
-- contains the year, ranked newest first. Rank 1 wins; the others are superseded (restated).
-- The newest year of a delivery is provisional (voorlopig).
-- Quarantined cells count too: a delivery whose cells for a year are all quarantined still holds
-- that year, so an older delivery must not silently take its place.
-- Datasets in one stitch group (var duo_datasets: the old vmbo exam file and DUO's current exam file
-- both feed vmbo uitstroom) are stitched together: for a year, the latest delivery of the group wins,
-- so a year is never counted from two files.
with delivery_years as (
    {% for family in duo_families() %}
    select dataset, delivery_file, delivery_date, year from {{ ref('stg_' ~ family ~ '_cells') }}
    union
    {% endfor %}
    select dataset, delivery_file, delivery_date, year from {{ ref('stg_quarantine') }} where year is not null
),

grouped as (
    select
        *,
        {{ stitch_group('dataset') }} as stitch_group
    from delivery_years
),

ranked as (
    select
        *,
        year = max(year) over (partition by delivery_file) as is_provisional,
        row_number() over (partition by stitch_group, year order by delivery_date desc, delivery_file desc)
            as vintage_rank
    from grouped
)

select *, vintage_rank = 1 as is_winner
from ranked
