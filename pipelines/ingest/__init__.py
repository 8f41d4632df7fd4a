"""Reading raw deliveries: file discovery, decoding, header/value normalisation, pandera
validation, quarantine, and loading the typed rows into the DuckDB landing schema.

Everything here is *reading*: it turns the files into typed rows with provenance. Business rules
(masking arithmetic, vintages, classification, aggregation) live in the dbt models.
"""
