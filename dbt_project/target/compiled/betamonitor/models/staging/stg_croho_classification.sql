select
    opleidingscode,
    opleidingsnaam,
    lower(trim(onderdeel)) as onderdeel,
    betatechniek = 'J' as is_betatechniek,
    informatica = 'J' as is_informatica,
    source_file,
    sha256,
    line_number
from "warehouse"."landing"."croho_classification"