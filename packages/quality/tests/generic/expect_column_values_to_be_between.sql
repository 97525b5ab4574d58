{#-
    Fails for every row (matching `row_condition`) whose value is outside [min_value, max_value],
    or the open interval with `strictly`. At least one bound is required; nulls pass.
-#}
{% test expect_column_values_to_be_between(model, column_name, min_value=none, max_value=none, row_condition=none, strictly=false) %}

{%- if min_value is none and max_value is none %}
    {{ exceptions.raise_compiler_error("You have to provide either a min_value, max_value or both.") }}
{%- endif %}
{%- set strict_operator = '' if strictly else '=' %}

with validation_errors as (

    select *
    from {{ model }}
    where
        {%- if row_condition %}
        ({{ row_condition }}) and
        {%- endif %}
        not (
            1 = 1
            {%- if min_value is not none %} and {{ column_name }} >{{ strict_operator }} {{ min_value }}{% endif %}
            {%- if max_value is not none %} and {{ column_name }} <{{ strict_operator }} {{ max_value }}{% endif %}
        )

)

select * from validation_errors

{% endtest %}
