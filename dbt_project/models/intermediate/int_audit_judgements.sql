-- One judgement per program, audit year and (surviving) institution. When two workbooks judge the
-- same institution in the same round, the file that sorts last wins and the clash is counted, so
-- the gate can block it.
with mapped as (
    select j.*, coalesce(m.surviving_code, j.instellingscode) as institution
    from {{ ref('stg_audit_judgements') }} as j
    left join {{ ref('int_institution_map') }} as m using (instellingscode)
)

select
    program,
    audit_year,
    institution,
    arg_max(judgement, audit_file || lpad(cast(row_number as varchar), 8, '0')) as judgement,
    arg_max(audit_file, audit_file) as audit_file,
    arg_max(row_number, audit_file || lpad(cast(row_number as varchar), 8, '0')) as row_number,
    count(distinct judgement) as n_distinct_judgements
from mapped
group by program, audit_year, institution
