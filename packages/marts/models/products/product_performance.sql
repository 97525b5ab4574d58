{{ config(materialized='table') }}

-- One row per product (every catalogue product, sold or not): sales, profit and margin from
-- valid orders, return rate, sales velocity over the trailing `slow_mover_window_days` days up
-- to the reporting as-of date, the slow-mover flag, and revenue ranks overall and within the
-- category.

with products as (

    select * from {{ ref('dim_products') }}

),

sales as (

    select * from {{ ref('intermediate', 'int_product_sales_aggregated_by_product') }}

),

-- Filtered before aggregating, on the line fact (a table), so only the window is read.
trailing_sales as (

    select
        order_items.product_id,
        sum(order_items.quantity) as units_sold_trailing,
        sum(order_items.line_total) as revenue_trailing
    from {{ ref('fct_order_items') }} as order_items
    cross join (select {{ reporting_as_of_date() }} as as_of_date) as as_of
    where order_items.is_valid
        and order_items.order_date > as_of.as_of_date - {{ var('slow_mover_window_days') }}
        and order_items.order_date <= as_of.as_of_date
    group by order_items.product_id

),

measured as (

    select
        products.product_key,
        products.product_id,
        products.category_id,
        products.sku,
        products.product_name,
        products.brand,
        products.category_name,
        products.subcategory_name,
        products.price_band,
        products.list_price,
        products.unit_cost,
        sales.order_count,
        sales.units_sold,
        sales.units_delivered,
        sales.units_returned,
        sales.units_cancelled,
        sales.revenue,
        sales.discount_amount,
        sales.cost_amount,
        sales.profit,
        sales.margin_pct,
        sales.return_rate,
        sales.days_with_sales,
        sales.days_since_last_sale,
        coalesce(trailing_sales.units_sold_trailing, 0) as units_sold_trailing,
        coalesce(trailing_sales.revenue_trailing, 0) as revenue_trailing,
        products.is_active,
        sales.has_sales,
        sales.first_sold_date,
        sales.last_sold_date,
        sales.as_of_date
    from products
    inner join sales
        on products.product_id = sales.product_id
    left join trailing_sales
        on products.product_id = trailing_sales.product_id

),

final as (

    select
        product_key,
        product_id,
        category_id,

        sku,
        product_name,
        brand,
        category_name,
        subcategory_name,
        price_band,

        list_price,
        unit_cost,
        cast(order_count as integer) as order_count,
        cast(units_sold as integer) as units_sold,
        cast(units_delivered as integer) as units_delivered,
        cast(units_returned as integer) as units_returned,
        cast(units_cancelled as integer) as units_cancelled,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        cast(cost_amount as decimal(18, 2)) as cost_of_goods_sold,
        cast(profit as decimal(18, 2)) as gross_profit,
        margin_pct as gross_margin_pct,
        {{ money_divide('revenue', 'units_sold') }} as average_selling_price,
        round(return_rate, 4) as return_rate,
        cast(units_sold_trailing as integer) as units_sold_trailing,
        cast(revenue_trailing as decimal(18, 2)) as revenue_trailing,
        round(units_sold_trailing / {{ var('slow_mover_window_days') }}, 4) as units_per_day_trailing,
        cast(days_with_sales as integer) as days_with_sales,
        cast(days_since_last_sale as integer) as days_since_last_sale,
        {{ safe_ratio('revenue', 'sum(revenue) over (partition by category_name)', 4) }} as share_of_category_revenue,
        cast(rank() over (order by revenue desc) as integer) as revenue_rank_overall,
        cast(rank() over (partition by category_name order by revenue desc) as integer) as revenue_rank_in_category,
        cast(rank() over (order by profit desc) as integer) as profit_rank_overall,
        cast(rank() over (order by units_sold desc) as integer) as units_rank_overall,

        is_active,
        has_sales,
        is_active and units_sold_trailing < {{ var('slow_mover_max_units') }} as is_slow_mover,

        first_sold_date,
        last_sold_date,
        as_of_date

    from measured

)

select * from final
