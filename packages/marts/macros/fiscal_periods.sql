{#- Fiscal year named after the calendar year in which it ends: with a February start,
    February 2024 .. January 2025 is fiscal year 2025. A January start gives the calendar year. -#}
{% macro fiscal_year(date_column) -%}
    {%- set start_month = var('fiscal_year_start_month', 1) | int -%}
    {%- if start_month == 1 -%}
    cast(extract(year from {{ date_column }}) as integer)
    {%- else -%}
    cast(extract(year from {{ date_column }}) + case when extract(month from {{ date_column }}) >= {{ start_month }} then 1 else 0 end as integer)
    {%- endif -%}
{%- endmacro %}

{#- Month number 1-12 within the fiscal year. -#}
{% macro fiscal_month(date_column) -%}
    {%- set start_month = var('fiscal_year_start_month', 1) | int -%}
    cast(((extract(month from {{ date_column }}) - {{ start_month }} + 12) % 12) + 1 as integer)
{%- endmacro %}

{#- Quarter number 1-4 within the fiscal year. -#}
{% macro fiscal_quarter(date_column) -%}
    cast({{ floor_divide(fiscal_month(date_column) ~ " - 1", 3) }} + 1 as integer)
{%- endmacro %}
