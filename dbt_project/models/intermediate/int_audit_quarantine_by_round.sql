-- Quarantined audit rows per program and audit year of the workbook they sit in: the outcome of
-- that round would change if they were read, so the gate blocks on them. A workbook whose rows are
-- all quarantined names no round: its rows then count against every round, so nothing audit-related
-- is published until it is fixed. Quarantined program rows (an institution unknown to
-- reference/institutions.csv, int_program_quarantine) count against every round of their program.
with quarantined as (
    select audit_file, count(distinct row_number) as n_quarantined
    from {{ source('landing', 'audit_quarantine') }}
    group by audit_file
),

rounds_of_file as (
    select distinct audit_file, program, audit_year from {{ ref('stg_audit_judgements') }}
),

attributed as (
    select r.program, r.audit_year, q.n_quarantined
    from quarantined as q
    inner join rounds_of_file as r using (audit_file)
),

without_round as (
    select r.program, r.audit_year, q.n_quarantined
    from quarantined as q
    cross join (select distinct program, audit_year from rounds_of_file) as r
    where q.audit_file not in (select audit_file from rounds_of_file)
),

program_rows as (
    select r.program, r.audit_year, q.n_quarantined
    from {{ ref('int_program_quarantine') }} as q
    inner join (select distinct program, audit_year from rounds_of_file) as r using (program)
    where q.sector is null
)

select program, audit_year, sum(n_quarantined) as n_quarantined
from (select * from attributed union all select * from without_round union all select * from program_rows) as q
group by all
