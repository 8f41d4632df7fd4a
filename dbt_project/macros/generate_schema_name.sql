{# Use the layer name itself as schema (staging, intermediate, marts) instead of dbt's
   `<target>_<custom>` so the warehouse reads like the data flow. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
