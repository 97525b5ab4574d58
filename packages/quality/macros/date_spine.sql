{#-
    A query returning one row per `datepart` from `start_date` (included) up to `end_date`
    (excluded), in a column named date_<datepart>. `start_date` and `end_date` are SQL
    expressions. The column is a date for day, week, month, quarter and year, a timestamp for
    finer dateparts.

    with days as (
        {{ date_spine('day', "cast('2024-01-01' as date)", "cast('2024-02-01' as date)") }}
    )
    select date_day from days  -- 31 rows, 2024-01-01 .. 2024-01-31
-#}
{%- macro date_spine(datepart, start_date, end_date) -%}

{%- set period_type = 'date' if datepart | lower in ['day', 'week', 'month', 'quarter', 'year'] else 'timestamp' %}

with all_periods as (

    select spine.period_start
    from generate_series(
        cast({{ start_date }} as timestamp),
        cast({{ end_date }} as timestamp),
        interval '1 {{ datepart }}'
    ) as spine (period_start)
    where spine.period_start < cast({{ end_date }} as timestamp)

),

final as (

    select cast(period_start as {{ period_type }}) as date_{{ datepart }}
    from all_periods

)

select * from final

{%- endmacro -%}
