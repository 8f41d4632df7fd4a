
-- Fixture for stg_ho_quarantine
select cast(null as character varying(256)) as "dataset", cast(null as character varying(256)) as "delivery_file", cast(null as DATE) as "delivery_date", cast(null as INTEGER) as "line_number", cast(null as character varying(256)) as "column_header", cast(null as character varying(256)) as "raw_value", cast(null as INTEGER) as "year", cast(null as character varying(256)) as "quarantine_reason"
    limit 0