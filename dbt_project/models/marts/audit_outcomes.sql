-- Audit outcomes per program and audit year: how many institutions each judgement.
-- n_twijfel_or_negatief is the figure the Platform reports ("hogescholen judged doubtful or
-- negative fell from 9 (2006) to 3 (2007)").
select
    program,
    cast(audit_year as integer) as audit_year,
    cast(count(*) as integer) as n_judged,
    cast(count(*) filter (where judgement = 'positief') as integer) as n_positief,
    cast(count(*) filter (where judgement = 'twijfel') as integer) as n_twijfel,
    cast(count(*) filter (where judgement = 'negatief') as integer) as n_negatief,
    cast(count(*) filter (where judgement in ('twijfel', 'negatief')) as integer) as n_twijfel_or_negatief
from {{ ref('int_audit_judgements') }}
group by program, audit_year
