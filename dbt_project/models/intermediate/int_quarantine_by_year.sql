-- Quarantined cells per published figure (sector, measure, year) they hold back
-- (int_quarantine_holds, contract 11.6). The quality gates block on them.
select sector, measure, year, count(*) as n_quarantined
from {{ ref('int_quarantine_holds') }}
group by all
