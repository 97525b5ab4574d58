{#- Whole calendar days from start to end (negative when end is earlier). Timestamps count by
    their date, so 23:59 → 00:01 the next day is one day. A date minus a date is whole days on every
    warehouse (DuckDB and Postgres alike). -#}
{% macro days_between(start, end) -%}
    (cast({{ end }} as date) - cast({{ start }} as date))
{%- endmacro %}
