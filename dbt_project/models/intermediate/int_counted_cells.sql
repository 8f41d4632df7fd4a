-- The classified cells of the winning delivery per dataset and year: every raw cell behind the
-- published bèta/techniek figures. All growth marts aggregate this model.
{{ winning_cells(ref('int_classified_cells')) }}
