-- Rule: the weekly order series sums to the overall totals of fct_orders over the period it covers.

{{ series_sums_to_totals(ref('orders_weekly')) }}
