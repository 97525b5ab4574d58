/**
 * Every declaration of a generic test in the fixture, with the outcome it must have. The
 * fixture's `_models.yml` is written from this list, so a case and its expectation cannot drift
 * apart. Failure counts are worked out by hand from the rows in fixture-models.ts.
 */
export interface GenericTestCase {
  /** The test node's name (unique in the fixture): how its result is found. */
  name: string;
  /** The generic test, as written in YAML. */
  test: string;
  model: string;
  /** Set for a test declared under a column. */
  column?: string;
  arguments?: Record<string, unknown>;
  config?: Record<string, unknown>;
  status: 'pass' | 'fail' | 'warn';
  failures: number;
  /** One column of the failing rows, in any order (the engine keeps up to 5 of them). */
  failing?: { column: string; values: (string | number)[] };
}

const amountBounds = { min_value: 0, max_value: 100 };
const ranges = {
  lower_bound_column: 'range_start',
  upper_bound_column: 'range_end',
  partition_by: 'range_group',
};
const email = "^[a-z']+@[a-z]+[.][a-z]{2,}$";

// biome-ignore format: one case per line reads as a table
export const genericTestCases: GenericTestCase[] = [
  // expression_is_true — payments.amount: -5 is the only negative value, null passes
  { name: 'expr_negative_amount', test: 'expression_is_true', model: 'payments', arguments: { expression: 'amount >= 0' }, status: 'fail', failures: 1, failing: { column: 'payment_id', values: [2] } },
  { name: 'expr_as_dbt_utils', test: 'dbt_utils.expression_is_true', model: 'payments', arguments: { expression: 'payment_id > 0' }, status: 'pass', failures: 0 },
  { name: 'expr_positive_id', test: 'expression_is_true', model: 'payments', arguments: { expression: 'payment_id > 0' }, status: 'pass', failures: 0 },
  { name: 'expr_column_first', test: 'expression_is_true', model: 'payments', column: 'amount', arguments: { expression: '>= 0' }, status: 'fail', failures: 1, failing: { column: 'payment_id', values: [2] } },
  { name: 'expr_column_passes', test: 'expression_is_true', model: 'payments', column: 'amount', arguments: { expression: '>= -5' }, status: 'pass', failures: 0 },

  // accepted_range — also the test that carries severity, error_if / warn_if and where
  { name: 'range_outside', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, status: 'fail', failures: 2, failing: { column: 'payment_id', values: [2, 5] } },
  { name: 'range_as_dbt_utils', test: 'dbt_utils.accepted_range', model: 'payments', column: 'amount', arguments: { ...amountBounds, inclusive: false }, status: 'fail', failures: 4, failing: { column: 'payment_id', values: [2, 3, 4, 5] } },
  { name: 'range_exclusive', test: 'accepted_range', model: 'payments', column: 'amount', arguments: { ...amountBounds, inclusive: false }, status: 'fail', failures: 4, failing: { column: 'payment_id', values: [2, 3, 4, 5] } },
  { name: 'range_max_only', test: 'accepted_range', model: 'payments', column: 'amount', arguments: { max_value: 100 }, status: 'fail', failures: 1, failing: { column: 'payment_id', values: [5] } },
  { name: 'range_wide', test: 'accepted_range', model: 'payments', column: 'amount', arguments: { min_value: -5, max_value: 101 }, status: 'pass', failures: 0 },
  { name: 'range_severity_warn', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, config: { severity: 'warn' }, status: 'warn', failures: 2 },
  { name: 'range_error_if_above_5', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, config: { error_if: '>5' }, status: 'warn', failures: 2 },
  { name: 'range_error_if_above_1', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, config: { error_if: '>1' }, status: 'fail', failures: 2 },
  { name: 'range_tolerated', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, config: { error_if: '>2', warn_if: '>2' }, status: 'pass', failures: 2 },
  { name: 'range_where', test: 'accepted_range', model: 'payments', column: 'amount', arguments: amountBounds, config: { where: 'payment_id not in (2, 5)' }, status: 'pass', failures: 0 },

  // unique_combination_of_columns
  { name: 'ucc_id_group', test: 'unique_combination_of_columns', model: 'payments', arguments: { combination_of_columns: ['payment_id', 'payment_group'] }, status: 'pass', failures: 0 },
  { name: 'ucc_group', test: 'unique_combination_of_columns', model: 'payments', arguments: { combination_of_columns: ['payment_group'] }, status: 'fail', failures: 2, failing: { column: 'payment_group', values: ['a', 'b'] } },
  { name: 'ucc_quoted_with_nulls', test: 'unique_combination_of_columns', model: 'payments', arguments: { combination_of_columns: ['payment_group', 'note'], quote_columns: true }, status: 'fail', failures: 2, failing: { column: 'payment_group', values: ['a', 'b'] } },
  { name: 'ucc_under_column', test: 'unique_combination_of_columns', model: 'payments', column: 'payment_id', arguments: { combination_of_columns: ['payment_id'] }, status: 'pass', failures: 0 },

  // not_constant
  { name: 'not_constant_amount', test: 'not_constant', model: 'payments', column: 'amount', status: 'pass', failures: 0 },
  { name: 'not_constant_where', test: 'not_constant', model: 'payments', column: 'payment_group', config: { where: "payment_group = 'b'" }, status: 'fail', failures: 1 },
  { name: 'not_constant_all_null', test: 'not_constant', model: 'payments', column: 'note', status: 'pass', failures: 0 },
  { name: 'not_constant_grouped', test: 'not_constant', model: 'ranges', column: 'range_start', arguments: { group_by_columns: ['range_group'] }, status: 'fail', failures: 1, failing: { column: 'range_group', values: ['c'] } },

  // not_empty_string — contacts.nickname: '', spaces, tab+space+newline, 'x', null
  { name: 'nes_trimmed', test: 'not_empty_string', model: 'contacts', column: 'nickname', status: 'fail', failures: 3, failing: { column: 'contact_id', values: [1, 2, 3] } },
  { name: 'nes_untrimmed', test: 'not_empty_string', model: 'contacts', column: 'nickname', arguments: { trim_whitespace: false }, status: 'fail', failures: 1, failing: { column: 'contact_id', values: [1] } },
  { name: 'nes_email', test: 'not_empty_string', model: 'contacts', column: 'email', status: 'pass', failures: 0 },

  // at_least_one
  { name: 'alo_amount', test: 'at_least_one', model: 'payments', column: 'amount', status: 'pass', failures: 0 },
  { name: 'alo_all_null', test: 'at_least_one', model: 'payments', column: 'note', status: 'fail', failures: 1 },
  { name: 'alo_grouped', test: 'at_least_one', model: 'payments', column: 'amount', arguments: { group_by_columns: ['payment_group'] }, status: 'fail', failures: 1, failing: { column: 'payment_group', values: ['c'] } },
  { name: 'alo_empty_table', test: 'at_least_one', model: 'no_events', column: 'event_id', status: 'fail', failures: 1 },

  // recency — events: an hour ago (group 0), exactly 2 days before the build (group 1)
  { name: 'recency_day', test: 'recency', model: 'events', arguments: { field: 'loaded_at', datepart: 'day', interval: 1 }, status: 'pass', failures: 0 },
  { name: 'recency_grouped', test: 'recency', model: 'events', arguments: { field: 'loaded_at', datepart: 'hour', interval: 2, group_by_columns: ['event_group'] }, status: 'fail', failures: 1, failing: { column: 'event_group', values: [1] } },
  { name: 'recency_to_the_second', test: 'recency', model: 'events', arguments: { field: 'loaded_at', datepart: 'day', interval: 2 }, config: { where: 'event_group = 1' }, status: 'fail', failures: 1 },
  { name: 'recency_ignore_time', test: 'recency', model: 'events', arguments: { field: 'loaded_at', datepart: 'day', interval: 2, ignore_time_component: true }, config: { where: 'event_group = 1' }, status: 'pass', failures: 0 },
  { name: 'recency_empty_table', test: 'recency', model: 'no_events', arguments: { field: 'loaded_at', datepart: 'day', interval: 1 }, status: 'fail', failures: 1 },
  { name: 'recency_future', test: 'recency', model: 'future_events', arguments: { field: 'loaded_at', datepart: 'day', interval: 1 }, status: 'pass', failures: 0 },

  // equal_rowcount — three_rows: groups 0/1 have 2/1 rows; four_rows: 2/2
  { name: 'eqrc_self', test: 'equal_rowcount', model: 'three_rows', arguments: { compare_model: "ref('three_rows')" }, status: 'pass', failures: 0 },
  { name: 'eqrc_differs', test: 'equal_rowcount', model: 'three_rows', arguments: { compare_model: "ref('four_rows')" }, status: 'fail', failures: 1, failing: { column: 'diff_count', values: [1] } },
  { name: 'eqrc_grouped', test: 'equal_rowcount', model: 'three_rows', arguments: { compare_model: "ref('four_rows')", group_by_columns: ['row_group'] }, status: 'fail', failures: 1, failing: { column: 'row_group_a', values: [1] } },
  { name: 'eqrc_where', test: 'equal_rowcount', model: 'four_rows', arguments: { compare_model: "ref('three_rows')" }, config: { where: 'row_id < 3' }, status: 'pass', failures: 0 },

  // fewer_rows_than
  { name: 'frt_fewer', test: 'fewer_rows_than', model: 'three_rows', arguments: { compare_model: "ref('four_rows')" }, status: 'pass', failures: 0 },
  { name: 'frt_more', test: 'fewer_rows_than', model: 'four_rows', arguments: { compare_model: "ref('three_rows')" }, status: 'fail', failures: 1, failing: { column: 'row_count_delta', values: [1] } },
  { name: 'frt_equal', test: 'fewer_rows_than', model: 'three_rows', arguments: { compare_model: "ref('three_rows')" }, status: 'fail', failures: 1 },
  { name: 'frt_grouped', test: 'fewer_rows_than', model: 'three_rows', arguments: { compare_model: "ref('four_rows')", group_by_columns: ['row_group'] }, status: 'fail', failures: 1, failing: { column: 'row_group_a', values: [0] } },

  // relationships_where — orders.customer_id: 4 (cancelled) and 5 are unknown, 3 is inactive
  { name: 'relw_all', test: 'relationships_where', model: 'orders', column: 'customer_id', arguments: { to: "ref('customers')", field: 'customer_id' }, status: 'fail', failures: 2, failing: { column: 'id', values: [4, 5] } },
  { name: 'relw_from_condition', test: 'relationships_where', model: 'orders', column: 'customer_id', arguments: { to: "ref('customers')", field: 'customer_id', from_condition: "status <> 'cancelled'" }, status: 'fail', failures: 1, failing: { column: 'id', values: [5] } },
  { name: 'relw_to_condition', test: 'relationships_where', model: 'orders', column: 'customer_id', arguments: { to: "ref('customers')", field: 'customer_id', to_condition: 'is_active' }, status: 'fail', failures: 3, failing: { column: 'id', values: [3, 4, 5] } },
  { name: 'relw_both', test: 'relationships_where', model: 'orders', column: 'customer_id', arguments: { to: "ref('customers')", field: 'customer_id', from_condition: 'customer_id <= 2', to_condition: 'is_active' }, status: 'pass', failures: 0 },

  // sequential_values — sequences: step 3 -> 5 and date 01-03 -> 01-05 in group a
  { name: 'seq_ids', test: 'sequential_values', model: 'sequences', column: 'event_id', status: 'pass', failures: 0 },
  { name: 'seq_steps', test: 'sequential_values', model: 'sequences', column: 'step_number', status: 'fail', failures: 3 },
  { name: 'seq_steps_grouped', test: 'sequential_values', model: 'sequences', column: 'step_number', arguments: { group_by_columns: ['sequence_group'] }, status: 'fail', failures: 1, failing: { column: 'step_number', values: [5] } },
  { name: 'seq_dates', test: 'sequential_values', model: 'sequences', column: 'event_date', arguments: { datepart: 'day' }, status: 'fail', failures: 1, failing: { column: 'event_date', values: ['2024-01-05'] } },
  { name: 'seq_dates_grouped', test: 'sequential_values', model: 'sequences', column: 'event_date', arguments: { datepart: 'day', group_by_columns: ['sequence_group'] }, config: { where: 'event_id <> 4' }, status: 'pass', failures: 0 },
  { name: 'seq_dates_by_two', test: 'sequential_values', model: 'sequences', column: 'event_date', arguments: { interval: 2, datepart: 'day' }, config: { where: 'event_id in (3, 4)' }, status: 'pass', failures: 0 },

  // mutually_exclusive_ranges — a: gap, b: overlap, c: zero length, d: contiguous
  { name: 'mer_gaps_allowed', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: ranges, status: 'fail', failures: 2, failing: { column: 'partition_by_col', values: ['b', 'c'] } },
  { name: 'mer_zero_length_allowed', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: { ...ranges, zero_length_range_allowed: true }, status: 'fail', failures: 1, failing: { column: 'partition_by_col', values: ['b'] } },
  { name: 'mer_gaps_not_allowed', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: { ...ranges, gaps: 'not_allowed' }, status: 'fail', failures: 3, failing: { column: 'partition_by_col', values: ['a', 'b', 'c'] } },
  { name: 'mer_gaps_required', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: { ...ranges, gaps: 'required' }, config: { where: "range_group = 'a'" }, status: 'fail', failures: 1, failing: { column: 'upper_bound', values: [10] } },
  { name: 'mer_contiguous', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: { ...ranges, gaps: 'not_allowed' }, config: { where: "range_group = 'd'" }, status: 'pass', failures: 0 },
  { name: 'mer_gap_and_contiguous', test: 'mutually_exclusive_ranges', model: 'ranges', arguments: ranges, config: { where: "range_group in ('a', 'd')" }, status: 'pass', failures: 0 },

  // cardinality_equality — shifted has 1 once and 2 twice: (1,2) (2,1) on one side, (1,1) (2,2) on the other
  { name: 'card_same', test: 'cardinality_equality', model: 'cardinality_left', column: 'value', arguments: { to: "ref('cardinality_same')", field: 'value' }, status: 'pass', failures: 0 },
  { name: 'card_shifted', test: 'cardinality_equality', model: 'cardinality_left', column: 'value', arguments: { to: "ref('cardinality_shifted')", field: 'value' }, status: 'fail', failures: 4, failing: { column: 'value', values: [1, 1, 2, 2] } },

  // not_null_proportion — payments.amount is 5/6 not null; group c is all null
  { name: 'nnp_at_least', test: 'not_null_proportion', model: 'payments', column: 'amount', arguments: { at_least: 0.8 }, status: 'pass', failures: 0 },
  { name: 'nnp_too_low', test: 'not_null_proportion', model: 'payments', column: 'amount', arguments: { at_least: 0.9 }, status: 'fail', failures: 1 },
  { name: 'nnp_too_high', test: 'not_null_proportion', model: 'payments', column: 'amount', arguments: { at_least: 0.5, at_most: 0.8 }, status: 'fail', failures: 1 },
  { name: 'nnp_grouped', test: 'not_null_proportion', model: 'payments', column: 'amount', arguments: { at_least: 0.5, group_by_columns: ['payment_group'] }, status: 'fail', failures: 1, failing: { column: 'payment_group', values: ['c'] } },

  // expect_table_row_count_to_be_between — payments: 6 rows, groups a/b/c of 2/3/1
  { name: 'rowcount_exact', test: 'expect_table_row_count_to_be_between', model: 'payments', arguments: { min_value: 6, max_value: 6 }, status: 'pass', failures: 0 },
  { name: 'rowcount_strictly', test: 'expect_table_row_count_to_be_between', model: 'payments', arguments: { min_value: 6, max_value: 6, strictly: true }, status: 'fail', failures: 1 },
  { name: 'rowcount_grouped', test: 'expect_table_row_count_to_be_between', model: 'payments', arguments: { max_value: 2, group_by: ['payment_group'] }, status: 'fail', failures: 1, failing: { column: 'payment_group', values: ['b'] } },
  { name: 'rowcount_condition', test: 'expect_table_row_count_to_be_between', model: 'payments', arguments: { min_value: 3, row_condition: "payment_group = 'a'" }, status: 'fail', failures: 1, failing: { column: 'row_count', values: [2] } },
  { name: 'rowcount_under_column', test: 'expect_table_row_count_to_be_between', model: 'contacts', column: 'email', arguments: { min_value: 1 }, status: 'pass', failures: 0 },

  // expect_column_values_to_be_between — payments.amount: -5, 0, 10, 100, 101, null
  { name: 'values_between', test: 'expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: amountBounds, status: 'fail', failures: 2, failing: { column: 'payment_id', values: [2, 5] } },
  { name: 'values_strictly', test: 'expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: { ...amountBounds, strictly: true }, status: 'fail', failures: 4, failing: { column: 'payment_id', values: [2, 3, 4, 5] } },
  { name: 'values_as_dbt_expectations', test: 'dbt_expectations.expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: amountBounds, status: 'fail', failures: 2, failing: { column: 'payment_id', values: [2, 5] } },
  { name: 'values_wide', test: 'expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: { min_value: -5, max_value: 101 }, status: 'pass', failures: 0 },
  { name: 'values_condition_pass', test: 'expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: { min_value: 0, row_condition: "payment_group = 'b'" }, status: 'pass', failures: 0 },
  { name: 'values_condition_fail', test: 'expect_column_values_to_be_between', model: 'payments', column: 'amount', arguments: { max_value: 50, row_condition: "payment_group = 'b'" }, status: 'fail', failures: 2, failing: { column: 'payment_id', values: [4, 5] } },

  // expect_column_mean_to_be_between — mean 41.2; a 2.5, b 67, c null (passes)
  { name: 'mean_between', test: 'expect_column_mean_to_be_between', model: 'payments', column: 'amount', arguments: { min_value: 41, max_value: 42 }, status: 'pass', failures: 0 },
  { name: 'mean_strictly', test: 'expect_column_mean_to_be_between', model: 'payments', column: 'amount', arguments: { min_value: 41.2, max_value: 42, strictly: true }, status: 'fail', failures: 1 },
  { name: 'mean_grouped', test: 'expect_column_mean_to_be_between', model: 'payments', column: 'amount', arguments: { max_value: 50, group_by: ['payment_group'] }, status: 'fail', failures: 1, failing: { column: 'payment_group', values: ['b'] } },
  { name: 'mean_condition', test: 'expect_column_mean_to_be_between', model: 'payments', column: 'amount', arguments: { min_value: 50, row_condition: "payment_group = 'b'" }, status: 'pass', failures: 0 },

  // expect_column_proportion_of_unique_values_to_be_between
  { name: 'unique_ids', test: 'expect_column_proportion_of_unique_values_to_be_between', model: 'payments', column: 'payment_id', arguments: { min_value: 1.0 }, status: 'pass', failures: 0 },
  { name: 'unique_groups', test: 'expect_column_proportion_of_unique_values_to_be_between', model: 'payments', column: 'payment_group', arguments: { min_value: 0.9 }, status: 'fail', failures: 1, failing: { column: 'unique_proportion', values: [0.5] } },
  { name: 'unique_grouped', test: 'expect_column_proportion_of_unique_values_to_be_between', model: 'ranges', column: 'range_start', arguments: { min_value: 1.0, group_by: ['range_group'] }, status: 'pass', failures: 0 },
  { name: 'unique_condition', test: 'expect_column_proportion_of_unique_values_to_be_between', model: 'sequences', column: 'sequence_group', arguments: { min_value: 0.6, row_condition: 'event_id >= 5' }, status: 'fail', failures: 1 },

  // expect_column_values_to_match_regex — contacts.email
  { name: 'regex_lower_case', test: 'expect_column_values_to_match_regex', model: 'contacts', column: 'email', arguments: { regex: email }, status: 'fail', failures: 2, failing: { column: 'contact_id', values: [2, 3] } },
  { name: 'regex_ignore_case', test: 'expect_column_values_to_match_regex', model: 'contacts', column: 'email', arguments: { regex: email, flags: 'i' }, status: 'fail', failures: 1, failing: { column: 'contact_id', values: [2] } },
  { name: 'regex_condition', test: 'expect_column_values_to_match_regex', model: 'contacts', column: 'email', arguments: { regex: email, flags: 'i', row_condition: 'contact_id <> 2' }, status: 'pass', failures: 0 },
  { name: 'regex_raw_backslash', test: 'expect_column_values_to_match_regex', model: 'contacts', column: 'email', arguments: { regex: '^[^@ ]+@[^@ ]+\\.[^@ ]+$', is_raw: true }, status: 'fail', failures: 1, failing: { column: 'contact_id', values: [2] } },

  // expect_row_values_to_have_recent_data — future values are ignored
  { name: 'recent_day', test: 'expect_row_values_to_have_recent_data', model: 'events', column: 'loaded_at', arguments: { datepart: 'day', interval: 1 }, status: 'pass', failures: 0 },
  { name: 'recent_condition', test: 'expect_row_values_to_have_recent_data', model: 'events', column: 'loaded_at', arguments: { datepart: 'day', interval: 1, row_condition: 'event_id > 0' }, status: 'fail', failures: 1 },
  { name: 'recent_future_ignored', test: 'expect_row_values_to_have_recent_data', model: 'future_events', column: 'loaded_at', arguments: { datepart: 'day', interval: 1 }, status: 'fail', failures: 1 },
  { name: 'recent_four_days', test: 'expect_row_values_to_have_recent_data', model: 'future_events', column: 'loaded_at', arguments: { datepart: 'day', interval: 4 }, status: 'pass', failures: 0 },
  { name: 'recent_empty_table', test: 'expect_row_values_to_have_recent_data', model: 'no_events', column: 'loaded_at', arguments: { datepart: 'day', interval: 1 }, status: 'fail', failures: 1 },
];
