{#-
    The body of the aggregate expectation tests (row count, column mean, proportion of unique
    values): one row per `group_by` group (over rows matching `row_condition`) whose `measure`
    lies outside [min_value, max_value] — or the open interval with `strictly` — with the measured
    value under `measure_name`. At least one bound is required.
-#}
{% macro aggregate_between(model, measure, measure_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}

{%- if min_value is none and max_value is none %}
    {{ exceptions.raise_compiler_error("You have to provide either a min_value, max_value or both.") }}
{%- endif %}
{%- set strict_operator = '' if strictly else '=' %}
{%- set group_by = group_by or [] %}

with grouped_expression as (

    select
        {%- for column in group_by %}
        {{ column }},
        {%- endfor %}
        {{ measure }} as {{ measure_name }},
        (
            1 = 1
            {%- if min_value is not none %} and {{ measure }} >{{ strict_operator }} {{ min_value }}{% endif %}
            {%- if max_value is not none %} and {{ measure }} <{{ strict_operator }} {{ max_value }}{% endif %}
        ) as expression
    from {{ model }}
    {%- if row_condition %}
    where {{ row_condition }}
    {%- endif %}
    {%- if group_by %}
    group by {{ group_by | join(', ') }}
    {%- endif %}

),

validation_errors as (

    select *
    from grouped_expression
    where not (expression = true)

)

select * from validation_errors

{% endmacro %}
