-- Readable havo/vwo leerjaar-4 count cells by profile, known as of the run.
{{ staged_family_cells('vo') }}
