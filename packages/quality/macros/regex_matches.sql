{#- A boolean: does `value` contain a match of the regular expression `pattern` (a SQL string
    literal)? Searched anywhere in the value (anchor with ^ and $ for a full match); flags 'i'
    ignores case. Each warehouse spells it its own way: DuckDB's regexp_matches(value, pattern,
    flags), Postgres's `~` / `~*` operators (its regexp_matches returns rows, not a boolean). -#}
{% macro regex_matches(value, pattern, flags='') -%}
    {%- if target.type == 'postgres' -%}
    ({{ value }} {{ '~*' if 'i' in flags else '~' }} {{ pattern }})
    {%- elif flags -%}
    regexp_matches({{ value }}, {{ pattern }}, '{{ flags }}')
    {%- else -%}
    regexp_matches({{ value }}, {{ pattern }})
    {%- endif -%}
{%- endmacro %}
