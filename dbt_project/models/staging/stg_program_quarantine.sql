-- Program rows quarantined at ingest: an institution code unknown to reference/institutions.csv.
select
    programma as program,
    instellingscode,
    vanaf,
    tot_en_met,
    source_file,
    line_number,
    column_header,
    reason,
    sha256
from {{ source('landing', 'program_quarantine') }}
