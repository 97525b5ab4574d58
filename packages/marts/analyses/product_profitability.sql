-- Which products and categories make money? Category totals and the five most and least
-- profitable products of each category.

with products as (

    select * from {{ ref('product_performance') }}

),

categories as (

    select
        category_name,
        sum(revenue) as category_revenue,
        sum(gross_profit) as category_gross_profit,
        round(100 * sum(gross_profit) / nullif(sum(revenue), 0), 2) as category_margin_pct
    from products
    group by category_name

),

ranked as (

    select
        products.*,
        rank() over (partition by category_name order by gross_profit desc) as best_rank,
        rank() over (partition by category_name order by gross_profit asc) as worst_rank
    from products
    where has_sales

)

select
    ranked.category_name,
    categories.category_revenue,
    categories.category_gross_profit,
    categories.category_margin_pct,
    ranked.product_name,
    ranked.revenue,
    ranked.gross_profit,
    ranked.gross_margin_pct,
    ranked.return_rate,
    case when ranked.best_rank <= 5 then 'most profitable' else 'least profitable' end as profitability_group
from ranked
inner join categories
    on ranked.category_name = categories.category_name
where ranked.best_rank <= 5 or ranked.worst_rank <= 5
order by ranked.category_name, ranked.gross_profit desc
