{#- Percentage change from `previous` to `current`, (current − previous) / previous × 100, rounded
    to two places; null when there is no previous value or it is zero, or when `comparable` (a SQL
    boolean, e.g. both periods complete) is not true. -#}
{% macro growth_pct(current, previous, comparable='true') -%}
    {{ round_double('case when (' ~ comparable ~ ') and coalesce(' ~ previous ~ ', 0) <> 0 then (cast(' ~ current ~ ' as double precision) - ' ~ previous ~ ') * 100 / ' ~ previous ~ ' end', 2) }}
{%- endmacro %}
