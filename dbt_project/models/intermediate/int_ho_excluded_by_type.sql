-- HO cells of the winning deliveries left out because of their programme or diploma type (contract
-- 10.3, seed ho_programme_types), per dataset, sector, year and type: the run summary, the published
-- metadata and `betamonitor trace` say how many cells each excluded type held and why.
select
    dataset,
    measure,
    sector,
    year,
    programme_type,
    type_exclusion as reason,
    count(*) as n_cells,
    count(*) filter (where is_betatechniek) as n_betatechniek_cells,
    sum(value) filter (where is_betatechniek) as betatechniek_value
from ({{ winning_cells(ref('int_ho_cells_classified')) }}) as c
where not counts_by_type
group by all
