{#- round(value, places) for a double precision value: half away from zero, as DuckDB's round does
    (scaled, rounded to a whole number, scaled back). Spelled with trunc and sign because Postgres
    has no round(double precision, integer) and its one-argument round goes half to even; a
    decimal value needs none of this (round(decimal, places) is the same everywhere). -#}
{% macro round_double(value, places) -%}
    (trunc(({{ value }}) * {{ 10 ** places }} + sign({{ value }}) * 0.5) / {{ 10 ** places }})
{%- endmacro %}
