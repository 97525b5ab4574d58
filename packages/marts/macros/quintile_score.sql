{#- A 1-5 quintile score as a window function: the rows of each partition are ranked by `order_by`
    (a list of SQL ordering terms, worst first) and cut into five groups as equal as row counts
    allow (ntile(5): sizes differ by at most one, the larger groups first). Ties on the first term
    are broken by the later terms, so a value shared by many rows is spread over neighbouring
    scores instead of piling into one: end the list with a unique key for a deterministic score. -#}
{% macro quintile_score(order_by, partition_by=none) -%}
    cast(ntile(5) over (
        {%- if partition_by is not none %}partition by {{ partition_by }} {% endif -%}
        order by {{ order_by | join(', ') }}) as integer)
{%- endmacro %}
