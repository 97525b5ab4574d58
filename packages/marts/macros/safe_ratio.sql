{#- numerator / denominator as a double, null (not an error, not infinity) when the denominator is
    zero or null. Optional `precision` rounds the result. -#}
{% macro safe_ratio(numerator, denominator, precision=none) -%}
    {%- if precision is not none -%}
    {{ round_double('case when coalesce(' ~ denominator ~ ', 0) = 0 then null else cast(' ~ numerator ~ ' as double precision) / ' ~ denominator ~ ' end', precision) }}
    {%- else -%}
    case when coalesce({{ denominator }}, 0) = 0 then null else cast({{ numerator }} as double precision) / {{ denominator }} end
    {%- endif -%}
{%- endmacro %}
