{#-
    Fails when the most recent `field` is older than `interval` `datepart`s before now (UTC),
    or when there is no row at all (per group when `group_by_columns` is given). With
    `ignore_time_component`, dates are compared instead of timestamps.
-#}
{% test recency(model, field, datepart, interval, ignore_time_component=false, group_by_columns=[], column_name=none) %}

{%- set threshold_type = 'date' if ignore_time_component else 'timestamp' %}
{%- set threshold -%}
cast(cast(now() at time zone 'UTC' as timestamp) - ({{ interval }}) * interval '1 {{ datepart }}' as {{ threshold_type }})
{%- endset %}
{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set groupby_gb_cols = ('group by ' ~ group_by_columns | join(', ')) if group_by_columns else '' %}

with recency as (

    select
        {{ select_gb_cols }}
        {%- if ignore_time_component %}
        cast(max({{ field }}) as date) as most_recent
        {%- else %}
        max({{ field }}) as most_recent
        {%- endif %}
    from {{ model }}
    {{ groupby_gb_cols }}

),

validation_errors as (

    select
        {{ select_gb_cols }}
        most_recent,
        {{ threshold }} as threshold
    from recency
    where most_recent < {{ threshold }}
        or most_recent is null

)

select * from validation_errors

{% endtest %}
