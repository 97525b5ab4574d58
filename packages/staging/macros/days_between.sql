{#- Whole calendar days from start to end (negative when end is earlier). Timestamps count by
    their date, so 23:59 → 00:01 the next day is one day. -#}
{% macro days_between(start, end) -%}
    date_diff('day', cast({{ start }} as date), cast({{ end }} as date))
{%- endmacro %}
