{# What two spellings of one name share: lower case, no diacritics, letters and digits only
   (`Súdwest-Fryslân` = `SUDWEST FRYSLAN`). The same key as pipelines/ingest/geography.spelling_key. #}
{% macro spelling_key(expr) -%}
    regexp_replace(lower(strip_accents({{ expr }})), '[^a-z0-9]', '', 'g')
{%- endmacro %}

{# A family's geography columns (var duo_geography), null where the family has none, in one order
   for every family. #}
{% macro geography_columns(family) -%}
    {%- set present = var('duo_geography')[family] -%}
    {%- for column in ['provincie', 'gemeentenummer', 'gemeentenaam'] -%}
        {{ column if column in present else 'null::varchar as ' ~ column }}{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
