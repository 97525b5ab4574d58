{#-
    Fails for every row whose value is not the previous value (in sort order) plus `interval`,
    or plus `interval` `datepart`s when `datepart` is given (dates and timestamps). Per group
    when `group_by_columns` is given; the first row of each group passes.
-#}
{% test sequential_values(model, column_name, interval=1, datepart=none, group_by_columns=[]) %}

{%- set previous_column_name = 'previous_' ~ column_name | replace('"', '') | replace('.', '_') | replace(' ', '_') | lower %}
{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set partition_gb_cols = ('partition by ' ~ group_by_columns | join(', ')) if group_by_columns else '' %}

with windowed as (

    select
        {{ select_gb_cols }}
        {{ column_name }},
        lag({{ column_name }}) over (
            {{ partition_gb_cols }}
            order by {{ column_name }}
        ) as {{ previous_column_name }}
    from {{ model }}

),

validation_errors as (

    select *
    from windowed
    {%- if datepart %}
    where not (
        cast({{ column_name }} as timestamp)
            = cast({{ previous_column_name }} + ({{ interval }}) * interval '1 {{ datepart }}' as timestamp)
    )
    {%- else %}
    where not ({{ column_name }} = {{ previous_column_name }} + {{ interval }})
    {%- endif %}

)

select * from validation_errors

{% endtest %}
