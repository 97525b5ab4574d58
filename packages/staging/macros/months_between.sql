{#- Calendar months from start's month to end's month (negative when end is earlier): 2024-01-31
    → 2024-02-01 is one month. Spelled with extract so it reads the same on every warehouse. -#}
{% macro months_between(start, end) -%}
    cast(
        (extract(year from {{ end }}) - extract(year from {{ start }})) * 12
        + extract(month from {{ end }}) - extract(month from {{ start }})
    as bigint)
{%- endmacro %}
