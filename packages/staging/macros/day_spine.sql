{#- One row per calendar day from start_date to end_date, both included (dbt_utils.date_spine
    excludes its end date, which is the wrong default for "every day with a transaction"). -#}
{% macro day_spine(start_date, end_date) -%}
    select cast(spine.day_start as date) as date_day
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 day'
    ) as spine(day_start)
{%- endmacro %}
