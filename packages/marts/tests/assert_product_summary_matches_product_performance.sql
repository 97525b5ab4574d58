-- product_summary and product_performance tell one story: per category, revenue, gross profit
-- and units of the summary equal the sums over the category's products.

with products as (

    select
        category_name,
        sum(revenue) as revenue,
        sum(gross_profit) as gross_profit,
        sum(units_sold) as units
    from {{ ref('product_performance') }}
    group by category_name

)

select
    summary.category_name,
    summary.total_revenue,
    products.revenue as expected_revenue,
    summary.gross_profit,
    products.gross_profit as expected_gross_profit,
    summary.total_units,
    products.units as expected_units
from {{ ref('product_summary') }} as summary
left join products
    on summary.category_name = products.category_name
where summary.total_revenue <> coalesce(products.revenue, 0)
    or summary.gross_profit <> coalesce(products.gross_profit, 0)
    or summary.total_units <> coalesce(products.units, 0)
