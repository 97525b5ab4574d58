{#-
    Fails when the column holds a single distinct non-null value (per group when
    `group_by_columns` is given). An empty table or an all-null column passes.
-#}
{% test not_constant(model, column_name, group_by_columns=[]) %}

{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set groupby_gb_cols = ('group by ' ~ group_by_columns | join(', ')) if group_by_columns else '' %}

with validation_errors as (

    select
        {{ select_gb_cols }}
        count(distinct {{ column_name }}) as filler_column
    from {{ model }}
    {{ groupby_gb_cols }}
    having count(distinct {{ column_name }}) = 1

)

select * from validation_errors

{% endtest %}
