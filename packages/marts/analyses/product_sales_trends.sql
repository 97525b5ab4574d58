-- Which categories are growing? Monthly units and net merchandise revenue per category over the
-- last 12 complete months of data, with the change on the previous month and on the same month a
-- year earlier, in percent (003 T068). Read from the product × day sales; the month of the latest
-- order is left out until it is complete, so it never shows a false drop.

with sales_by_day as (

    select * from {{ ref('intermediate', 'int_product_sales_aggregated_by_day') }}

),

monthly as materialized (

    select
        cast(date_trunc('month', order_date) as date) as month_start_date,
        category_name,
        sum(units_sold) as units_sold,
        sum(daily_revenue) as revenue,
        sum(daily_profit) as gross_profit
    from sales_by_day
    where cast(date_trunc('month', order_date) + interval '1 month' as date)
        <= (select max(order_date) from sales_by_day) + 1
    group by cast(date_trunc('month', order_date) as date), category_name

),

compared as (

    select
        monthly.*,
        lag(monthly.revenue) over (partition by monthly.category_name order by monthly.month_start_date) as previous_month_revenue,
        last_year.revenue as last_year_revenue
    from monthly
    left join monthly as last_year
        on monthly.category_name = last_year.category_name
        and last_year.month_start_date = cast(monthly.month_start_date - interval '1 year' as date)

),

recent as (

    select *
    from compared
    where month_start_date > (select max(month_start_date) from monthly) - interval '12 month'

)

select
    month_start_date,
    category_name,
    units_sold,
    revenue,
    gross_profit,
    {{ growth_pct('revenue', 'previous_month_revenue') }} as mom_growth_pct,
    {{ growth_pct('revenue', 'last_year_revenue') }} as yoy_growth_pct
from recent
order by category_name, month_start_date
