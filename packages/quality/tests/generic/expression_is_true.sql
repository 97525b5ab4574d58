{#-
    Fails for every row where `expression` is not true. Under a column, the column name is
    written before the expression (`column_name: amount`, `expression: ">= 0"` tests
    `amount >= 0`). Rows where the expression is null pass, as in SQL `where`.
-#}
{% test expression_is_true(model, expression, column_name=none) %}

with validation_errors as (

    select *
    from {{ model }}
    {%- if column_name is none %}
    where not ({{ expression }})
    {%- else %}
    where not ({{ column_name }} {{ expression }})
    {%- endif %}

)

select * from validation_errors

{% endtest %}
