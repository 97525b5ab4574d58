-- Daily revenue over the last 90 days up to the as-of date with its marketing context (002's
-- "daily revenue trends with marketing context"): the day's orders and net revenue, how much of
-- it came through campaigns and through which channel most (marketing_performance), what
-- marketing spent and touched that day, the customers campaigns acquired and the day's ROAS
-- (marketing_performance_daily), year-over-year growth (orders_daily) and the site's traffic
-- (daily_summary).

with marketing as (

    select
        date_day,
        sum(spend) as spend,
        sum(touch_count) as touch_count,
        sum(revenue) as campaign_revenue,
        sum(customers_acquired_linear) as customers_acquired,
        string_agg(channel, ', ' order by channel) filter (where has_active_campaign) as channels_in_flight
    from {{ ref('marketing_performance_daily') }}
    group by date_day

),

sales as (

    select
        order_date as date_day,
        sum(total_orders) as total_orders,
        sum(total_revenue) as total_revenue,
        (array_agg(marketing_channel order by total_revenue desc, marketing_channel))[1] as top_channel
    from {{ ref('marketing_performance') }}
    group by order_date

)

select
    marketing.date_day,
    coalesce(sales.total_orders, 0) as total_orders,
    coalesce(sales.total_revenue, 0) as total_revenue,
    round(sales.total_revenue / sales.total_orders, 2) as avg_order_value,
    marketing.campaign_revenue,
    round(marketing.campaign_revenue / nullif(sales.total_revenue, 0), 4) as campaign_revenue_share,
    sales.top_channel,
    orders_daily.yoy_growth_pct,
    marketing.spend,
    round(marketing.campaign_revenue / nullif(marketing.spend, 0), 4) as return_on_ad_spend,
    marketing.touch_count,
    marketing.customers_acquired,
    marketing.channels_in_flight,
    daily_summary.session_count,
    daily_summary.session_conversion_rate
from marketing
left join sales
    on marketing.date_day = sales.date_day
left join {{ ref('orders_daily') }} as orders_daily
    on marketing.date_day = orders_daily.date_day
left join {{ ref('daily_summary') }} as daily_summary
    on marketing.date_day = daily_summary.date_day
where marketing.date_day > (select max(date_day) from marketing) - interval '90 day'
order by marketing.date_day
