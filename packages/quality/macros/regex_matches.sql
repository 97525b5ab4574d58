{#- A boolean: does `value` contain a match of the regular expression `pattern` (a SQL string
    literal)? Searched anywhere in the value (anchor with ^ and $ for a full match); flags 'i'
    ignores case. Dispatched, as each warehouse spells it its own way: DuckDB's
    regexp_matches(value, pattern, flags); Postgres's `~` / `~*` operators (its regexp_matches
    returns rows, not a boolean). A project may add its own `<adapter>__regex_matches`. -#}
{% macro regex_matches(value, pattern, flags='') -%}
    {{ return(adapter.dispatch('regex_matches', 'quality')(value, pattern, flags)) }}
{%- endmacro %}

{% macro default__regex_matches(value, pattern, flags) -%}
    {%- if flags -%}
    regexp_matches({{ value }}, {{ pattern }}, '{{ flags }}')
    {%- else -%}
    regexp_matches({{ value }}, {{ pattern }})
    {%- endif -%}
{%- endmacro %}

{% macro postgres__regex_matches(value, pattern, flags) -%}
    ({{ value }} {{ '~*' if 'i' in flags else '~' }} {{ pattern }})
{%- endmacro %}
