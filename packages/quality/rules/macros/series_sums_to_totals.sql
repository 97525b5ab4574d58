{#-
    Failing rows when an order time series (orders_daily, orders_weekly, orders_monthly) does not
    add up to the facts over the days the series covers (orders_daily's first to last day; the
    weekly and monthly series cover the same days): one row holding both sets of totals. Counts
    come from fct_orders, money from the valid lines of fct_order_items (net merchandise revenue,
    gross profit) and fct_orders (gross order value), new customers from the staged orders (a
    customer is new on the day of their first order, of any status, even before the series).
-#}
{% macro series_sums_to_totals(series) %}

with series_days as (

    select min(date_day) as first_day, max(date_day) as last_day
    from {{ ref('orders_daily') }}

),

series as (

    select
        sum(order_count) as order_count,
        sum(total_orders) as total_orders,
        sum(new_customer_count) as new_customer_count,
        sum(total_units) as total_units,
        sum(total_revenue) as total_revenue,
        sum(gross_order_value) as gross_order_value,
        sum(gross_profit) as gross_profit,
        sum(completed_revenue) as completed_revenue
    from {{ series }}

),

orders as (

    select
        count(*) as order_count,
        count(*) filter (where is_valid) as total_orders,
        coalesce(sum(order_total) filter (where is_valid), 0) as gross_order_value
    from {{ ref('fct_orders') }}
    cross join series_days
    where order_date between series_days.first_day and series_days.last_day

),

lines as (

    select
        coalesce(sum(quantity) filter (where is_valid), 0) as total_units,
        coalesce(sum(line_total) filter (where is_valid), 0) as total_revenue,
        coalesce(sum(line_total - cost_amount) filter (where is_valid), 0) as gross_profit,
        coalesce(sum(line_total) filter (where is_completed), 0) as completed_revenue
    from {{ ref('fct_order_items') }}
    cross join series_days
    where order_date between series_days.first_day and series_days.last_day

),

new_customers as (

    select count(*) as new_customer_count
    from (
        select customer_id, min(order_date) as first_order_date
        from {{ ref('stg_ecommerce__orders') }}
        group by customer_id
    ) as first_orders
    cross join series_days
    where first_orders.first_order_date between series_days.first_day and series_days.last_day

)

select
    series.*,
    orders.order_count as expected_order_count,
    orders.total_orders as expected_total_orders,
    new_customers.new_customer_count as expected_new_customer_count,
    lines.total_units as expected_total_units,
    lines.total_revenue as expected_total_revenue,
    orders.gross_order_value as expected_gross_order_value,
    lines.gross_profit as expected_gross_profit,
    lines.completed_revenue as expected_completed_revenue
from series
cross join orders
cross join lines
cross join new_customers
where series.order_count <> orders.order_count
    or series.total_orders <> orders.total_orders
    or series.new_customer_count <> new_customers.new_customer_count
    or series.total_units <> lines.total_units
    or series.total_revenue <> lines.total_revenue
    or series.gross_order_value <> orders.gross_order_value
    or series.gross_profit <> lines.gross_profit
    or series.completed_revenue <> lines.completed_revenue

{% endmacro %}
