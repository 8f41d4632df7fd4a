-- `reference/gemeenten.csv`: the municipalities of the division of 1 January 2025 and those merged
-- away since 1995 (opgegaan_in: the municipality they became part of; no province of their own).
select
    gemeentenummer,
    gemeentenaam,
    nullif(provincie, '') as provincie,
    nullif(opgegaan_in, '') as opgegaan_in,
    -- other names DUO's files use (`Den Haag`, `Hengelo (O)`), `|`-separated
    list_filter(string_split(andere_namen, '|'), lambda n: trim(n) <> '') as andere_namen,
    source_file,
    sha256,
    line_number
from {{ source('landing', 'gemeenten') }}
