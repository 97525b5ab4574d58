{#-
    Failing rows when an order time series (orders_daily, orders_weekly, orders_monthly) does not
    add up to fct_orders over the period the series covers: one row holding both sets of totals.
-#}
{% macro series_sums_to_totals(series) %}

with series as (

    select
        sum(order_count) as order_count,
        sum(valid_order_count) as valid_order_count,
        sum(new_customer_count) as new_customer_count,
        sum(units_sold) as units_sold,
        sum(revenue) as revenue,
        sum(completed_revenue) as completed_revenue
    from {{ series }}

),

totals as (

    select
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(distinct customer_id) as new_customer_count,
        coalesce(sum(unit_count) filter (where is_valid), 0) as units_sold,
        coalesce(sum(order_total) filter (where is_valid), 0) as revenue,
        coalesce(sum(recognized_revenue), 0) as completed_revenue
    from {{ ref('fct_orders') }}
    where order_date <= (select max(period_end_date) from {{ series }})

)

select
    series.*,
    totals.order_count as expected_order_count,
    totals.valid_order_count as expected_valid_order_count,
    totals.new_customer_count as expected_new_customer_count,
    totals.units_sold as expected_units_sold,
    totals.revenue as expected_revenue,
    totals.completed_revenue as expected_completed_revenue
from series
cross join totals
where series.order_count <> totals.order_count
    or series.valid_order_count <> totals.valid_order_count
    or series.new_customer_count <> totals.new_customer_count
    or series.units_sold <> totals.units_sold
    or series.revenue <> totals.revenue
    or series.completed_revenue <> totals.completed_revenue

{% endmacro %}
