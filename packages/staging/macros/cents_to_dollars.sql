{#- Exact: decimal(18,0) × 0.01 stays decimal, where `/ 100` would go through a double. -#}
{% macro cents_to_dollars(column) -%}
    cast(cast({{ column }} as decimal(18, 0)) * 0.01 as decimal(18, 2))
{%- endmacro %}
