{#-
    Fails when the average of the column (over rows matching `row_condition`, per `group_by`
    group) is outside [min_value, max_value], or the open interval with `strictly`. At least one
    bound is required. A null average (no non-null value) passes.
-#}
{% test expect_column_mean_to_be_between(model, column_name, min_value=none, max_value=none, group_by=none, row_condition=none, strictly=false) %}
{{ aggregate_between(model, 'avg(' ~ column_name ~ ')', 'mean_value', min_value=min_value, max_value=max_value, group_by=group_by, row_condition=row_condition, strictly=strictly) }}
{% endtest %}
