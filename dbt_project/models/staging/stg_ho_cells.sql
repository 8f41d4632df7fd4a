-- Readable HO count cells (both datasets) known as of the run, with the masking arithmetic applied.
{{ staged_cells('ho_eerstejaars', 'instroom') }}
union all by name
{{ staged_cells('ho_gediplomeerden', 'uitstroom') }}
