{# The DUO datasets are declared once, in the var duo_datasets (dbt_project.yml); these macros
   derive what the models need from it. #}

{# The declared datasets (of one family, or all), in declaration order. #}
{% macro duo_datasets(family=none) -%}
    {%- set names = [] -%}
    {%- for name, dataset in var('duo_datasets').items() if family is none or dataset.family == family -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {{ return(names) }}
{%- endmacro %}

{# The declared families, each read by its staging model stg_<family>_cells. #}
{% macro duo_families() -%}
    {%- set families = [] -%}
    {%- for dataset in var('duo_datasets').values() if dataset.family not in families -%}
        {%- do families.append(dataset.family) -%}
    {%- endfor -%}
    {{ return(families) }}
{%- endmacro %}

{# A family's staging model: the readable cells of every dataset of the family (staged_cells). #}
{% macro staged_family_cells(family, row_key) -%}
    {%- for dataset in duo_datasets(family) %}
{{ staged_cells(dataset, row_key) }}
        {%- if not loop.last %}
union all by name
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{# The stitch group of each dataset (a dataset outside any group is its own group). #}
{% macro stitch_group(dataset_column) -%}
    case {{ dataset_column }}
        {%- for name, dataset in var('duo_datasets').items() if dataset.stitch_group %}
        when '{{ name }}' then '{{ dataset.stitch_group }}'
        {%- endfor %}
        else {{ dataset_column }}
    end
{%- endmacro %}
