{#- A 1-5 score from the percentile rank of `column` within `partition_by` (a SQL expression, or
    none for the whole relation): 1 + floor(5 × percent_rank), capped at 5. Ties get the same score.
    `descending=true` gives the highest score to the smallest values (used for recency in days). -#}
{% macro quintile_score(column, partition_by=none, descending=false) -%}
    cast(least(5, 1 + floor(5 * percent_rank() over (
        {%- if partition_by is not none %}partition by {{ partition_by }} {% endif -%}
        order by {{ column }} {{ 'desc' if descending else 'asc' }}))) as integer)
{%- endmacro %}
