-- Monthly revenue and units per category over the last 12 months of data, with the change on
-- the previous month.

with monthly as (

    select
        cast(date_trunc('month', order_date) as date) as month_start_date,
        category_name,
        sum(quantity) as units_sold,
        sum(line_total) as revenue
    from {{ ref('fct_order_items') }}
    where is_valid
    group by all

),

recent as (

    select *
    from monthly
    where month_start_date > (select max(month_start_date) from monthly) - interval 12 month

)

select
    month_start_date,
    category_name,
    units_sold,
    revenue,
    round((revenue - lag(revenue) over (partition by category_name order by month_start_date))
        / nullif(lag(revenue) over (partition by category_name order by month_start_date), 0), 4) as revenue_growth_rate
from recent
order by category_name, month_start_date
