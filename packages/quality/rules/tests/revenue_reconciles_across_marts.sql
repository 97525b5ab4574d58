-- Rule: one revenue. The time series and the product marts report the same net merchandise
-- revenue, gross profit and units as the valid lines of fct_order_items over the KPI window
-- (the days orders_daily covers: from the start_date var, or the first order, to the as-of date).

with kpi_window as (

    select min(date_day) as first_day, max(date_day) as last_day
    from {{ ref('orders_daily') }}

),

lines as (

    select
        coalesce(sum(line_total), 0) as revenue,
        coalesce(sum(line_total - cost_amount), 0) as gross_profit,
        coalesce(sum(quantity), 0) as units
    from {{ ref('fct_order_items') }}
    cross join kpi_window
    where is_valid
        and order_date between kpi_window.first_day and kpi_window.last_day

),

marts as (

    select 'orders_daily' as mart, sum(total_revenue) as revenue, sum(gross_profit) as gross_profit, sum(total_units) as units
    from {{ ref('orders_daily') }}

    union all

    select 'orders_weekly', sum(total_revenue), sum(gross_profit), sum(total_units)
    from {{ ref('orders_weekly') }}

    union all

    select 'orders_monthly', sum(total_revenue), sum(gross_profit), sum(total_units)
    from {{ ref('orders_monthly') }}

    union all

    select 'product_performance', sum(revenue), sum(gross_profit), sum(units_sold)
    from {{ ref('product_performance') }}

    union all

    select 'product_summary', sum(total_revenue), sum(gross_profit), sum(total_units)
    from {{ ref('product_summary') }}

)

select
    marts.*,
    lines.revenue as expected_revenue,
    lines.gross_profit as expected_gross_profit,
    lines.units as expected_units
from marts
cross join lines
where marts.revenue <> lines.revenue
    or marts.gross_profit <> lines.gross_profit
    or marts.units <> lines.units
