{#- numerator / denominator as a double precision, null when the denominator is zero. The cast
    keeps the division fractional on every warehouse (Postgres truncates integer / integer). -#}
{% macro safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / nullif({{ denominator }}, 0)
{%- endmacro %}
