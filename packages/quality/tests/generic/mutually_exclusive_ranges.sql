{#-
    Fails for every range [lower_bound_column, upper_bound_column) that is empty or reversed
    (zero-length allowed only with `zero_length_range_allowed`), or that overlaps the next
    range of its partition. `gaps`: 'allowed' (default), 'not_allowed' (each range must end
    where the next begins) or 'required'. Null bounds fail.
-#}
{% test mutually_exclusive_ranges(model, lower_bound_column, upper_bound_column, partition_by=none, gaps='allowed', zero_length_range_allowed=false, column_name=none) %}

{%- if gaps == 'not_allowed' %}
    {%- set allow_gaps_operator = '=' %}
    {%- set allow_gaps_operator_in_words = 'equal_to' %}
{%- elif gaps == 'allowed' %}
    {%- set allow_gaps_operator = '<=' %}
    {%- set allow_gaps_operator_in_words = 'less_than_or_equal_to' %}
{%- elif gaps == 'required' %}
    {%- set allow_gaps_operator = '<' %}
    {%- set allow_gaps_operator_in_words = 'less_than' %}
{%- else %}
    {{ exceptions.raise_compiler_error(
        "`gaps` argument for mutually_exclusive_ranges test must be one of "
        ~ "['not_allowed', 'allowed', 'required'] Got: '" ~ gaps ~ "'."
    ) }}
    {#- the error is reported once rendering ends: keep the rest renderable -#}
    {%- set allow_gaps_operator = '<=' %}
    {%- set allow_gaps_operator_in_words = 'less_than_or_equal_to' %}
{%- endif %}
{%- if zero_length_range_allowed %}
    {%- set allow_zero_length_operator = '<=' %}
    {%- set allow_zero_length_operator_in_words = 'less_than_or_equal_to' %}
{%- else %}
    {%- set allow_zero_length_operator = '<' %}
    {%- set allow_zero_length_operator_in_words = 'less_than' %}
{%- endif %}
{%- set partition_clause = ('partition by ' ~ partition_by) if partition_by else '' %}

with window_functions as (

    select
        {%- if partition_by %}
        {{ partition_by }} as partition_by_col,
        {%- endif %}
        {{ lower_bound_column }} as lower_bound,
        {{ upper_bound_column }} as upper_bound,
        lead({{ lower_bound_column }}) over (
            {{ partition_clause }}
            order by {{ lower_bound_column }}, {{ upper_bound_column }}
        ) as next_lower_bound,
        row_number() over (
            {{ partition_clause }}
            order by {{ lower_bound_column }} desc, {{ upper_bound_column }} desc
        ) = 1 as is_last_record
    from {{ model }}

),

calc as (

    select
        *,
        -- a null bound is an error: the columns are assumed not null
        coalesce(
            lower_bound {{ allow_zero_length_operator }} upper_bound,
            false
        ) as lower_bound_{{ allow_zero_length_operator_in_words }}_upper_bound,
        -- the last range of a partition has no next lower bound
        coalesce(
            upper_bound {{ allow_gaps_operator }} next_lower_bound,
            is_last_record,
            false
        ) as upper_bound_{{ allow_gaps_operator_in_words }}_next_lower_bound
    from window_functions

),

validation_errors as (

    select *
    from calc
    where not (
        lower_bound_{{ allow_zero_length_operator_in_words }}_upper_bound
        and upper_bound_{{ allow_gaps_operator_in_words }}_next_lower_bound
    )

)

select * from validation_errors

{% endtest %}
