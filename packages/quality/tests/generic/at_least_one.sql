{#-
    Fails when the column has no non-null value at all (per group when `group_by_columns` is
    given). An empty table fails.
-#}
{% test at_least_one(model, column_name, group_by_columns=[]) %}

{#- a group-by column equal to the tested column would make the select ambiguous -#}
{%- set ns = namespace(group_by=[]) %}
{%- for column in group_by_columns if column != column_name %}
    {%- set ns.group_by = ns.group_by + [column] %}
{%- endfor %}
{%- set select_gb_cols = (ns.group_by | join(', ') ~ ', ') if ns.group_by else '' %}
{%- set groupby_gb_cols = ('group by ' ~ ns.group_by | join(', ')) if ns.group_by else '' %}

with validation_errors as (

    select
        {{ select_gb_cols }}
        count({{ column_name }}) as filler_column
    from {{ model }}
    {{ groupby_gb_cols }}
    having count({{ column_name }}) = 0

)

select * from validation_errors

{% endtest %}
