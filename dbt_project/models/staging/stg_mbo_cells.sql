-- Readable mbo count cells (every mbo dataset) known as of the run, with the masking arithmetic applied.
{{ staged_family_cells('mbo') }}
