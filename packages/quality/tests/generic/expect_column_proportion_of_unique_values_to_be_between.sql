{#-
    Fails when distinct values / non-null values of the column (over rows matching
    `row_condition`, per `group_by` group) is outside [min_value, max_value], or the open
    interval with `strictly`. At least one bound is required. 1.0 means every value is unique.
-#}
{% test expect_column_proportion_of_unique_values_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ aggregate_between(model, 'count(distinct ' ~ column_name ~ ') * 1.0 / count(' ~ column_name ~ ')', 'unique_proportion', min_value=min_value, max_value=max_value, group_by=group_by, row_condition=row_condition, strictly=strictly) }}
{% endtest %}
