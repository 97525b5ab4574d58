{#- A money amount divided by a count (e.g. revenue / orders = average order value), rounded to the
    cent as DECIMAL(18,2); null when the count is zero. -#}
{% macro money_ratio(amount, count) -%}
    cast(round(case when coalesce({{ count }}, 0) = 0 then null else cast({{ amount }} as double) / {{ count }} end, 2) as decimal(18, 2))
{%- endmacro %}
