{#- The integer key of a date in dim_date, yyyymmdd (2024-03-05 → 20240305), spelled with extract so
    every warehouse computes it the same way. -#}
{% macro date_key(date_column) -%}
    cast(extract(year from {{ date_column }}) * 10000 + extract(month from {{ date_column }}) * 100 + extract(day from {{ date_column }}) as integer)
{%- endmacro %}
