{#- The run's start time as a TIMESTAMP (UTC), the same for every model of one invocation: the
    value of the `dbt_updated_at` audit columns. -#}
{% macro run_timestamp() -%}
    cast('{{ run_started_at }}' as timestamp)
{%- endmacro %}
