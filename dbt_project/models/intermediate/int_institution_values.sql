-- Bèta/techniek counts per institution (surviving code), sector (incl. aggregates), measure and year.
{{ counted_values_by('institution') }}
