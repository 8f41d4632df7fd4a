-- Readable mbo count cells (every mbo dataset) known as of the run, with the masking arithmetic applied.
{{ staged_family_cells('mbo', row_key=['instellingscode', 'kwalificatiecode', 'niveau', 'type_mbo']) }}
