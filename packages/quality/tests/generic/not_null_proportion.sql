{#-
    Fails when the share of non-null values is below `at_least` or above `at_most` (default 1),
    per group when `group_by_columns` is given. An empty table passes.
-#}
{% test not_null_proportion(model, column_name, at_least, at_most=1.0, group_by_columns=[]) %}

{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set groupby_gb_cols = ('group by ' ~ group_by_columns | join(', ')) if group_by_columns else '' %}

with validation as (

    select
        {{ select_gb_cols }}
        sum(case when {{ column_name }} is null then 0 else 1 end)
            / cast(count(*) as numeric) as not_null_proportion
    from {{ model }}
    {{ groupby_gb_cols }}

),

validation_errors as (

    select
        {{ select_gb_cols }}
        not_null_proportion
    from validation
    where not_null_proportion < {{ at_least }}
        or not_null_proportion > {{ at_most }}

)

select * from validation_errors

{% endtest %}
