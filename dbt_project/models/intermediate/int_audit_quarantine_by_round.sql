-- Quarantined audit rows per program and audit year of the workbook they sit in: the outcome of
-- that round would change if they were read, so the gate blocks on them.
select j.program, j.audit_year, count(distinct (q.audit_file, q.row_number)) as n_quarantined
from {{ source('landing', 'audit_quarantine') }} as q
inner join (select distinct audit_file, program, audit_year from {{ ref('stg_audit_judgements') }}) as j
    using (audit_file)
group by all
