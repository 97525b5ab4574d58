{#- The date every "days since" is measured against: the `as_of_date` var when it is set,
    otherwise `fallback` — by convention the date of the latest order in the warehouse, so that
    results never depend on when the pipeline runs (no current_date). `fallback` is a scalar
    expression, e.g. `(select max(order_date) from orders)`. -#}
{% macro as_of_date(fallback) -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of -%}
        cast('{{ as_of }}' as date)
    {%- else -%}
        cast({{ fallback }} as date)
    {%- endif -%}
{%- endmacro %}
