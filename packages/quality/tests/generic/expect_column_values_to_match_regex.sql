{#-
    Fails for every row (matching `row_condition`) whose value does not contain a match of
    `regex` (RE2 syntax, searched anywhere in the value: anchor with ^ and $ for a full match).
    `flags`: 'i' ignores case. Nulls pass.
-#}
{% test expect_column_values_to_match_regex(model, column_name, regex, row_condition=none, is_raw=false, flags='') %}

{#- SQL string literals keep backslashes (DuckDB; Postgres with standard_conforming_strings), so a
    raw and a plain pattern read the same -#}
{%- set pattern = "'" ~ regex | replace("'", "''") ~ "'" %}

with validation_errors as (

    select *
    from {{ model }}
    where
        {%- if row_condition %}
        ({{ row_condition }}) and
        {%- endif %}
        not {{ regex_matches(column_name, pattern, flags) }}

)

select * from validation_errors

{% endtest %}
