-- Audit committee judgements (positief / twijfel / negatief) per institution, program and audit year.
select
    programma as program,
    auditjaar as audit_year,
    instellingscode,
    instellingsnaam,
    oordeel as judgement,
    oordeel_raw,
    voorzitter,
    audit_file,
    sheet,
    row_number,
    sha256
from {{ source('landing', 'audit_judgements') }}
