{#-
    The distinct values of `column` in `table` as a list, most frequent first (or by
    `order_by`), at most `max_records`, optionally filtered by `where`. Queries the warehouse,
    so it returns `default` (or []) before execution and when the column has no value.

    {% set statuses = get_column_values(ref('stg_ecommerce__orders'), 'status') %}
    {{ pivot('status', statuses) }}
-#}
{%- macro get_column_values(table, column, order_by='count(*) desc', max_records=none, default=none, where=none) -%}

{%- set fallback = default if default is not none else [] %}
{%- set query -%}
    select {{ column }} as value
    from {{ table }}
    {%- if where is not none %}
    where {{ where }}
    {%- endif %}
    group by {{ column }}
    order by {{ order_by }}
    {%- if max_records is not none %}
    limit {{ max_records }}
    {%- endif %}
{%- endset -%}
{#- asked even before execution (dbt's run_query runs nothing while parsing), so the caller renders
    again once the warehouse can answer -#}
{%- set result = run_query(query) %}

{%- if not execute or not result -%}
    {{ return(fallback) }}
{%- else -%}
    {#- rows, not columns[0]: a result may come back empty while the query is pending -#}
    {%- set ns = namespace(values=[]) %}
    {%- for row in result.rows %}
        {%- set ns.values = ns.values + [row[0]] %}
    {%- endfor %}
    {%- if ns.values -%}
        {{ return(ns.values) }}
    {%- else -%}
        {{ return(fallback) }}
    {%- endif -%}
{%- endif -%}

{%- endmacro -%}
