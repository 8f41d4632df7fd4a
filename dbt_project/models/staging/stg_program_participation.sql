-- Program participation: an institution takes part in year Y when vanaf <= Y <= tot_en_met
-- (empty tot_en_met = still taking part).
select
    instellingscode,
    programma,
    cast(vanaf as integer) as vanaf,
    cast(nullif(tot_en_met, '') as integer) as tot_en_met,
    source_file,
    sha256,
    line_number
from {{ source('landing', 'program_participation') }}
