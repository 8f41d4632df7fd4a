-- Readable mbo count cells known as of the run, with the masking arithmetic applied.
{{ staged_cells('mbo_eerstejaars', 'instroom') }}
union all by name
{{ staged_cells('mbo_gediplomeerden', 'uitstroom') }}
