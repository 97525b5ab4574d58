{#-
    Fails unless the model has strictly fewer rows than `compare_model` (per group when
    `group_by_columns` is given). `row_count_delta` is how far the model is from passing.
-#}
{% test fewer_rows_than(model, compare_model, group_by_columns=[], column_name=none) %}

{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set groupby_gb_cols = 'group by ' ~ (['id_dbtutils_test_fewer_rows_than'] + group_by_columns) | join(', ') %}

with a as (

    select
        {{ select_gb_cols }}
        1 as id_dbtutils_test_fewer_rows_than,
        count(*) as count_our_model
    from {{ model }}
    {{ groupby_gb_cols }}

),

b as (

    select
        {{ select_gb_cols }}
        1 as id_dbtutils_test_fewer_rows_than,
        count(*) as count_comparison_model
    from {{ compare_model }}
    {{ groupby_gb_cols }}

),

counts as (

    select
        {%- for column in group_by_columns %}
        a.{{ column }} as {{ column }}_a,
        b.{{ column }} as {{ column }}_b,
        {%- endfor %}
        coalesce(count_our_model, 0) as count_our_model,
        coalesce(count_comparison_model, 0) as count_comparison_model
    from a
    full join b
        on a.id_dbtutils_test_fewer_rows_than = b.id_dbtutils_test_fewer_rows_than
        {%- for column in group_by_columns %}
        and a.{{ column }} = b.{{ column }}
        {%- endfor %}

),

final as (

    select
        *,
        case
            -- more rows than the comparison model: the surplus
            when count_our_model > count_comparison_model
                then count_our_model - count_comparison_model
            -- the same number of rows also fails
            when count_our_model = count_comparison_model then 1
            else 0
        end as row_count_delta
    from counts

)

select * from final
where row_count_delta > 0

{% endtest %}
