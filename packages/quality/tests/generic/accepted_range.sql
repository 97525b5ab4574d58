{#-
    Fails for every row whose value lies outside [min_value, max_value] (or the open interval
    when inclusive is false). Either bound may be left out; nulls pass.
-#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

with validation_errors as (

    select *
    from {{ model }}
    where
        -- never true: lets each bound below be added with `or`
        1 = 2
        {%- if min_value is not none %}
        or not {{ column_name }} >{{ '=' if inclusive }} {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or not {{ column_name }} <{{ '=' if inclusive }} {{ max_value }}
        {%- endif %}

)

select * from validation_errors

{% endtest %}
