{#- floor(dividend / divisor) for integers and a positive divisor, exactly, as a BIGINT. Written as
    (dividend − dividend mod divisor) / divisor with a non-negative remainder, an exact quotient on
    every warehouse: `/` truncates integers on Postgres and gives a double on DuckDB (exact for a
    whole quotient), and DuckDB's `//` does not exist on Postgres. -#}
{% macro floor_divide(dividend, divisor) -%}
    cast((({{ dividend }}) - ((({{ dividend }}) % ({{ divisor }})) + ({{ divisor }})) % ({{ divisor }})) / ({{ divisor }}) as bigint)
{%- endmacro %}
