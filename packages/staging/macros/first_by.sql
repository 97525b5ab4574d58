{#- "The value of `value` on the first (first_by) or last (last_by) row of the group in the order
    of the `order_by` keys", an aggregate, optionally over the rows matching `filter` only. The
    value on that row is returned even when it is null (filter it out with `filter` to skip such
    rows). The keys must be non-null and make the order total within a group (end with a unique
    column), so that every warehouse picks the same row: DuckDB and Postgres order null keys
    differently, and break ties arbitrarily. Every key sorts the same way (ascending for
    first_by, descending for last_by); negate a numeric key to sort it the other way.
    Dispatched: DuckDB's arg_min_null / arg_max_null with the keys as one tuple — one pass, no
    sort of each group (int_web_sessions at scale 1: 4–5× less CPU than the ordered aggregate);
    Postgres (and any warehouse without arg_min) takes the first element of an ordered
    array_agg. -#}
{% macro first_by(value, order_by, filter=none) -%}
    {{ return(adapter.dispatch('first_by', 'staging')(value, order_by, filter, false)) }}
{%- endmacro %}

{% macro last_by(value, order_by, filter=none) -%}
    {{ return(adapter.dispatch('first_by', 'staging')(value, order_by, filter, true)) }}
{%- endmacro %}

{% macro default__first_by(value, order_by, filter, last) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    {%- set direction = ' desc' if last else '' -%}
    (array_agg({{ value }} order by {% for key in keys %}{{ key }}{{ direction }}{{ ', ' if not loop.last }}{% endfor %})
    {%- if filter %} filter (where {{ filter }}){% endif %})[1]
{%- endmacro %}

{% macro duckdb__first_by(value, order_by, filter, last) -%}
    {%- set keys = [order_by] if order_by is string else order_by -%}
    {{ 'arg_max_null' if last else 'arg_min_null' }}({{ value }}, {% if keys | length == 1 %}{{ keys[0] }}{% else %}({{ keys | join(', ') }}){% endif %})
    {%- if filter %} filter (where {{ filter }}){% endif %}
{%- endmacro %}
