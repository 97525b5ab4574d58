{#- The date every "days since" and trailing window is measured against: the var `as_of_date` when
    set, otherwise the date of the latest order in the warehouse. Never current_date, so a rebuild
    on the same data gives the same answers. -#}
{% macro reporting_as_of_date() -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is not none and as_of != '' -%}
        cast('{{ as_of }}' as date)
    {%- else -%}
        (select max(order_date) from {{ ref('staging', 'stg_ecommerce__orders') }})
    {%- endif -%}
{%- endmacro %}
