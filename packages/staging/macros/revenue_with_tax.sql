{#- tax_rate is a fraction (0.08 for 8 %); the result is rounded to the cent. -#}
{% macro revenue_with_tax(amount, tax_rate) -%}
    cast(round(cast({{ amount }} as decimal(18, 2)) * (1 + ({{ tax_rate }})), 2) as decimal(18, 2))
{%- endmacro %}
