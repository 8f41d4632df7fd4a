-- Vintage stitching (raw-data contract, sections 2 and 11.1): for each dataset, sector and year, every
-- delivery that contains that sector and year, ranked newest first. Rank 1 wins; the others are
-- superseded (restated). DUO publishes hbo and wo as separate files, dropped side by side: they are
-- two series of deliveries, not two vintages of one, and a file that covers several sectors (the
-- older HO layouts, the exam file) competes per sector with the files that cover that sector.
-- The newest year of a delivery (for a sector) is provisional (voorlopig).
-- Quarantined cells count too: a delivery whose cells for a year are all quarantined still holds
-- that year, so an older delivery must not silently take its place. A cell whose sector cannot be
-- told holds the year for every sector its dataset feeds.
-- Datasets in one stitch group (var duo_datasets: the old vmbo exam file and DUO's current exam file
-- both feed vmbo uitstroom) are stitched together: for a sector and year, the latest delivery of the
-- group wins, so a year is never counted from two files.
-- Two deliveries of one date that both hold a sector and year cannot be ranked: the model fails
-- naming both files (nothing is guessed).
with cell_years as (
    {% for family in duo_families() %}
    select distinct dataset, delivery_file, delivery_date, year, cell_sector
    from {{ family_cells_with_sector(family) }}
    union
    {% endfor %}
    select distinct dataset, delivery_file, delivery_date, year, sector from {{ ref('int_quarantined_cells') }}
    where year is not null
),

delivery_years as (
    select distinct c.dataset, c.delivery_file, c.delivery_date, c.year, s.sector
    from cell_years as c
    inner join {{ dataset_sectors() }} as s
        on s.dataset = c.dataset and (c.cell_sector is null or c.cell_sector = s.sector)
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
        year = max(year) over (partition by delivery_file, sector) as is_provisional,
        row_number() over (partition by stitch_group, sector, year order by delivery_date desc, delivery_file desc)
            as vintage_rank,
        count(*) over (partition by stitch_group, sector, year, delivery_date) as n_same_date,
        string_agg(delivery_file, ' and ' order by delivery_file)
            over (partition by stitch_group, sector, year, delivery_date) as same_date_files
    from grouped
)

select
    dataset,
    delivery_file,
    delivery_date,
    year,
    sector,
    stitch_group,
    is_provisional,
    case
        when n_same_date > 1 then error(
            'deliveries ' || same_date_files || ' have the same date ' || delivery_date || ' and both hold '
            || sector || ' ' || year || ' of ' || stitch_group || ': they cannot be ranked (contract 11.1); '
            || 'withdraw one or re-date it')
        else vintage_rank
    end as vintage_rank,
    vintage_rank = 1 as is_winner
from ranked
