-- Bèta/techniek counts per province (int_classified_cells.provincie; `onbekend` when none was found),
-- sector (incl. aggregates), measure and year: the sector totals of int_sector_values, split. Before
-- disclosure control; the data test provinces_add_up_to_sectors sums it against int_sector_values.
{{ counted_values_by('provincie') }}
