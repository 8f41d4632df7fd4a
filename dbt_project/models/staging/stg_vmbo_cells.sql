-- Readable vmbo exam-candidate count cells known as of the run.
{{ staged_family_cells('vmbo') }}
