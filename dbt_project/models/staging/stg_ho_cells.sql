-- Readable HO count cells (every HO dataset) known as of the run, with the masking arithmetic applied.
-- A row is an institution's programme in one form (the resolved sector is added to its key in
-- int_ho_cells_classified).
{{ staged_family_cells('ho', row_key=['instellingscode', 'opleidingscode', 'opleidingsvorm']) }}
