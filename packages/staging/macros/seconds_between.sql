{#- Whole seconds from start to end (negative when end is earlier), as a bigint: the epoch of the
    interval between two timestamps, which every warehouse (DuckDB, Postgres) reads the same way. -#}
{% macro seconds_between(start, end) -%}
    cast(extract(epoch from (cast({{ end }} as timestamp) - cast({{ start }} as timestamp))) as bigint)
{%- endmacro %}
