{#-
    Fails when the number of rows (matching `row_condition`, per `group_by` group) is outside
    [min_value, max_value], or the open interval with `strictly`. At least one bound is required.
-#}
{% test expect_table_row_count_to_be_between(model, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false, column_name=none) %}
{{ aggregate_between(model, 'count(*)', 'row_count', min_value=min_value, max_value=max_value, group_by=group_by, row_condition=row_condition, strictly=strictly) }}
{% endtest %}
