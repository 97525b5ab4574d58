-- Daily revenue over the last 90 days of data next to what marketing did that day: spend,
-- touches and tagged revenue across channels, and the traffic it drew.

with marketing as (

    select
        date_day,
        sum(spend) as spend,
        sum(touch_count) as touch_count,
        sum(revenue) as tagged_revenue,
        sum(customers_acquired_linear) as customers_acquired,
        string_agg(channel, ', ' order by channel) filter (where has_active_campaign) as channels_in_flight
    from {{ ref('marketing_performance_daily') }}
    group by date_day

)

select
    orders_daily.date_day,
    orders_daily.total_orders,
    orders_daily.total_revenue,
    orders_daily.average_order_value,
    orders_daily.yoy_growth_pct,
    daily_summary.session_count,
    daily_summary.session_conversion_rate,
    marketing.spend,
    marketing.touch_count,
    marketing.tagged_revenue,
    marketing.customers_acquired,
    marketing.channels_in_flight
from {{ ref('orders_daily') }} as orders_daily
left join {{ ref('daily_summary') }} as daily_summary
    on orders_daily.date_day = daily_summary.date_day
left join marketing
    on orders_daily.date_day = marketing.date_day
where orders_daily.date_day > (select max(date_day) from {{ ref('orders_daily') }}) - interval 90 day
order by orders_daily.date_day
