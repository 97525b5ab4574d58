-- Rule: 002's daily revenue with marketing context adds up. For every day of the time series,
-- the marketing channels of marketing_performance together hold exactly the day's valid orders
-- and net merchandise revenue of orders_daily (a day without orders has no channel rows).

with channels as (

    select
        order_date,
        sum(total_orders) as total_orders,
        sum(total_revenue) as total_revenue
    from {{ ref('marketing_performance') }}
    group by order_date

),

daily as (

    select
        date_day as order_date,
        total_orders,
        total_revenue
    from {{ ref('orders_daily') }}

)

select
    coalesce(daily.order_date, channels.order_date) as order_date,
    daily.total_orders as daily_orders,
    channels.total_orders as channel_orders,
    daily.total_revenue as daily_revenue,
    channels.total_revenue as channel_revenue
from daily
full outer join channels
    on daily.order_date = channels.order_date
where coalesce(daily.total_orders, 0) <> coalesce(channels.total_orders, 0)
    or coalesce(daily.total_revenue, 0) <> coalesce(channels.total_revenue, 0)
