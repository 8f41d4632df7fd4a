select
    instellingscode,
    naam,
    soort,
    nullif(opgegaan_in, '') as opgegaan_in,
    cast(nullif(per_jaar, '') as integer) as per_jaar,
    nullif(provincie, '') as provincie,
    source_file,
    sha256,
    line_number
from {{ source('landing', 'institutions') }}
