{#-
    Fails for every row whose value is the empty string; with `trim_whitespace` (the default)
    a value made only of spaces, tabs and line breaks fails too. Nulls pass.
-#}
{% test not_empty_string(model, column_name, trim_whitespace=true) %}

with validation_errors as (

    select *
    from {{ model }}
    where
        {%- if trim_whitespace %}
        -- tabs, line feeds and carriage returns become spaces, then everything is trimmed
        trim(translate({{ column_name }}, chr(9) || chr(10) || chr(13), '   ')) = ''
        {%- else %}
        {{ column_name }} = ''
        {%- endif %}

)

select * from validation_errors

{% endtest %}
