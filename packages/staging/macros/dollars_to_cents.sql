{% macro dollars_to_cents(column) -%}
    cast(round(cast({{ column }} as decimal(18, 2)) * 100) as bigint)
{%- endmacro %}
