{#-
    Fails when the model and `compare_model` have different row counts (per group when
    `group_by_columns` is given). One failing row per mismatching group, with both counts and
    their difference.
-#}
{% test equal_rowcount(model, compare_model, group_by_columns=[], column_name=none) %}

{%- set select_gb_cols = (group_by_columns | join(', ') ~ ', ') if group_by_columns else '' %}
{%- set groupby_gb_cols = 'group by ' ~ (['id_dbtutils_test_equal_rowcount'] + group_by_columns) | join(', ') %}

with a as (

    select
        {{ select_gb_cols }}
        1 as id_dbtutils_test_equal_rowcount,
        count(*) as count_a
    from {{ model }}
    {{ groupby_gb_cols }}

),

b as (

    select
        {{ select_gb_cols }}
        1 as id_dbtutils_test_equal_rowcount,
        count(*) as count_b
    from {{ compare_model }}
    {{ groupby_gb_cols }}

),

final as (

    select
        {%- for column in group_by_columns %}
        a.{{ column }} as {{ column }}_a,
        b.{{ column }} as {{ column }}_b,
        {%- endfor %}
        coalesce(count_a, 0) as count_a,
        coalesce(count_b, 0) as count_b,
        abs(coalesce(count_a, 0) - coalesce(count_b, 0)) as diff_count
    from a
    full join b
        on a.id_dbtutils_test_equal_rowcount = b.id_dbtutils_test_equal_rowcount
        {%- for column in group_by_columns %}
        and a.{{ column }} = b.{{ column }}
        {%- endfor %}

)

select * from final
where diff_count > 0

{% endtest %}
