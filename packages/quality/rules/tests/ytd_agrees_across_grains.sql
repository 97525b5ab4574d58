-- Rule: year-to-date agrees across grains. For every calendar year of the series, the last
-- cumulative_revenue_ytd / cumulative_orders_ytd of orders_daily, orders_weekly and
-- orders_monthly equal the year's daily totals. A year whose days all fall in a week that starts
-- the year before (an as-of date in the first days of January) has no weekly row yet and is
-- checked at the daily and monthly grains only.

with daily as (

    select
        year,
        sum(total_revenue) as year_revenue,
        sum(total_orders) as year_orders,
        (array_agg(cumulative_revenue_ytd order by date_day desc))[1] as ytd_revenue,
        (array_agg(cumulative_orders_ytd order by date_day desc))[1] as ytd_orders
    from {{ ref('orders_daily') }}
    group by year

),

weekly as (

    select
        year,
        (array_agg(cumulative_revenue_ytd order by week_start_date desc))[1] as ytd_revenue,
        (array_agg(cumulative_orders_ytd order by week_start_date desc))[1] as ytd_orders
    from {{ ref('orders_weekly') }}
    group by year

),

monthly as (

    select
        year,
        (array_agg(cumulative_revenue_ytd order by month_start_date desc))[1] as ytd_revenue,
        (array_agg(cumulative_orders_ytd order by month_start_date desc))[1] as ytd_orders
    from {{ ref('orders_monthly') }}
    group by year

)

select
    daily.year,
    daily.year_revenue,
    daily.ytd_revenue as daily_ytd_revenue,
    weekly.ytd_revenue as weekly_ytd_revenue,
    monthly.ytd_revenue as monthly_ytd_revenue,
    daily.year_orders,
    daily.ytd_orders as daily_ytd_orders,
    weekly.ytd_orders as weekly_ytd_orders,
    monthly.ytd_orders as monthly_ytd_orders
from daily
left join monthly
    on daily.year = monthly.year
left join weekly
    on daily.year = weekly.year
where daily.ytd_revenue <> daily.year_revenue
    or daily.ytd_orders <> daily.year_orders
    or monthly.year is null
    or monthly.ytd_revenue <> daily.year_revenue
    or monthly.ytd_orders <> daily.year_orders
    or weekly.ytd_revenue <> daily.year_revenue
    or weekly.ytd_orders <> daily.year_orders
