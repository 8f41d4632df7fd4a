-- Readable vmbo exam-candidate count cells known as of the run.
{{ staged_cells('vmbo_examenkandidaten', 'uitstroom') }}
