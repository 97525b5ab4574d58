{#-
    Fails for every combination of `combination_of_columns` that appears on more than one row.
    `column_name` is accepted (and ignored) so the test can also sit under a column.
-#}
{% test unique_combination_of_columns(model, combination_of_columns, quote_columns=false, column_name=none) %}

{%- set ns = namespace(columns=[]) %}
{%- for column in combination_of_columns %}
    {%- set ns.columns = ns.columns + [adapter.quote(column) if quote_columns else column] %}
{%- endfor %}
{%- set columns_csv = ns.columns | join(', ') %}

with validation_errors as (

    select
        {{ columns_csv }}
    from {{ model }}
    group by {{ columns_csv }}
    having count(*) > 1

)

select * from validation_errors

{% endtest %}
