{#-
    Fails when the column and `field` of `to` do not have the same values with the same
    number of rows each: one failing row per (value, row count) found on one side only.
-#}
{% test cardinality_equality(model, column_name, to, field) %}

with table_a as (

    select
        {{ column_name }},
        count(*) as num_rows
    from {{ model }}
    group by {{ column_name }}

),

table_b as (

    select
        {{ field }},
        count(*) as num_rows
    from {{ to }}
    group by {{ field }}

),

except_a as (

    select * from table_a
    except
    select * from table_b

),

except_b as (

    select * from table_b
    except
    select * from table_a

),

unioned as (

    select * from except_a
    union all
    select * from except_b

)

select * from unioned

{% endtest %}
