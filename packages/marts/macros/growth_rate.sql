{#- Relative change from `previous` to `current` ((current - previous) / previous), rounded to four
    places; null when there is no previous value or it is zero. -#}
{% macro growth_rate(current, previous) -%}
    {{ round_double('case when coalesce(' ~ previous ~ ', 0) = 0 then null else (cast(' ~ current ~ ' as double precision) - ' ~ previous ~ ') / ' ~ previous ~ ' end', 4) }}
{%- endmacro %}
