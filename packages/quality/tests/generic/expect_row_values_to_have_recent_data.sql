{#-
    Fails when the latest value of the column (rows matching `row_condition`; values in the
    future are ignored) is older than `interval` `datepart`s before now (UTC). No value at all
    fails too.
-#}
{% test expect_row_values_to_have_recent_data(model, column_name, datepart, interval, row_condition=none) %}

{%- set now_utc = "cast(now() at time zone 'UTC' as timestamp)" %}

with max_recency as (

    select max(cast({{ column_name }} as timestamp)) as max_timestamp
    from {{ model }}
    where
        -- future values are data errors, not evidence of fresh data
        cast({{ column_name }} as timestamp) <= {{ now_utc }}
        {%- if row_condition %}
        and {{ row_condition }}
        {%- endif %}

),

validation_errors as (

    select
        max_timestamp,
        {{ now_utc }} - ({{ interval }}) * interval '1 {{ datepart }}' as threshold
    from max_recency
    where
        -- no row at all compares as 1970-01-01, so it fails
        coalesce(max_timestamp, cast('1970-01-01' as timestamp))
            < {{ now_utc }} - ({{ interval }}) * interval '1 {{ datepart }}'

)

select * from validation_errors

{% endtest %}
