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

{# A family's staging model: the readable cells of every dataset of the family (staged_cells), with
   the family's row key (var duo_row_keys). #}
{% macro staged_family_cells(family) -%}
    {%- set row_key = var('duo_row_keys')[family] -%}
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

{# The sectors a declared dataset feeds (var duo_datasets `feeds`), as rows (dataset, sector). #}
{% macro dataset_sectors() -%}
    {%- set rows = [] -%}
    {%- for name, dataset in var('duo_datasets').items() -%}
        {%- for sector in dataset.feeds -%}
            {%- do rows.append("('" ~ name ~ "', '" ~ sector ~ "')") -%}
        {%- endfor -%}
    {%- endfor -%}
    (select * from (values {{ rows | join(', ') }}) as t(dataset, sector))
{%- endmacro %}

{# The cells of a family with the sector each belongs to (contract 11.1: vintages are per sector):
   HO cells with their resolved sector (int_ho_cells_classified), havo/vwo and exam cells with the sector
   their row states; mbo and vmbo files hold one sector. An empty sector stands for every sector the
   dataset feeds (dataset_sectors): a cell whose sector cannot be told competes and blocks in each. #}
{% macro family_cells_with_sector(family) -%}
    {%- if family == 'ho' -%}
        (select *, sector as cell_sector from {{ ref('int_ho_cells_classified') }})
    {%- elif family in ('vo', 'vo_exam') -%}
        (select *, sector as cell_sector from {{ ref('stg_' ~ family ~ '_cells') }})
    {%- else -%}
        (select *, null::varchar as cell_sector from {{ ref('stg_' ~ family ~ '_cells') }})
    {%- endif -%}
{%- endmacro %}

{# The measure a dataset's cells count (var duo_datasets), for a column holding dataset names. #}
{% macro dataset_measure(dataset_column) -%}
    case {{ dataset_column }}
        {%- for name, dataset in var('duo_datasets').items() %}
        when '{{ name }}' then '{{ dataset.measure }}'
        {%- endfor %}
    end
{%- endmacro %}
