-- Readable HO count cells (every HO dataset) known as of the run, with the masking arithmetic applied.
-- A row is an institution's programme in one form, municipality, phase and type (var duo_row_keys;
-- the resolved sector is added to row_key in int_ho_cells_classified).
{{ staged_family_cells('ho') }}
