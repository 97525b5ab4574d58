{{ config(materialized='table') }}

-- One row per product (every catalogue product, sold or not): sales, profit and margin from
-- valid orders, return rate, sales velocity over a trailing window, slow-mover flag and revenue
-- ranks overall and within the category. Orders after the reporting as-of date are ignored.

with products as (

    select * from {{ ref('dim_products') }}

),

as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

order_items as (

    select
        fct_order_items.*,
        fct_order_items.order_date > as_of.as_of_date - {{ var('slow_mover_window_days') }} as is_in_trailing_window
    from {{ ref('fct_order_items') }} as fct_order_items
    cross join as_of
    where fct_order_items.order_date <= as_of.as_of_date

),

sales_by_product as (

    select
        product_id,
        count(distinct order_id) filter (where is_valid) as order_count,
        sum(quantity) filter (where is_valid) as units_sold,
        sum(line_total) filter (where is_valid) as revenue,
        sum(discount_amount) filter (where is_valid) as discount_amount,
        sum(cost_amount) filter (where is_valid) as cost_amount,
        sum(gross_profit) filter (where is_valid) as gross_profit,
        sum(quantity) filter (where is_completed) as units_delivered,
        sum(quantity) filter (where is_returned) as units_returned,
        sum(quantity) filter (where is_valid and is_in_trailing_window) as units_sold_trailing,
        sum(line_total) filter (where is_valid and is_in_trailing_window) as revenue_trailing,
        min(order_date) filter (where is_valid) as first_sale_date,
        max(order_date) filter (where is_valid) as last_sale_date
    from order_items
    group by product_id

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
        cast(coalesce(sales_by_product.order_count, 0) as integer) as order_count,
        cast(coalesce(sales_by_product.units_sold, 0) as integer) as units_sold,
        cast(coalesce(sales_by_product.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(sales_by_product.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(coalesce(sales_by_product.cost_amount, 0) as decimal(18, 2)) as cost_of_goods_sold,
        cast(coalesce(sales_by_product.gross_profit, 0) as decimal(18, 2)) as gross_profit,
        cast(coalesce(sales_by_product.units_delivered, 0) as integer) as units_delivered,
        cast(coalesce(sales_by_product.units_returned, 0) as integer) as units_returned,
        cast(coalesce(sales_by_product.units_sold_trailing, 0) as integer) as units_sold_trailing,
        cast(coalesce(sales_by_product.revenue_trailing, 0) as decimal(18, 2)) as revenue_trailing,
        products.is_active,
        sales_by_product.first_sale_date,
        sales_by_product.last_sale_date,
        as_of.as_of_date
    from products
    cross join as_of
    left join sales_by_product
        on products.product_id = sales_by_product.product_id

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
        order_count,
        units_sold,
        revenue,
        discount_amount,
        cost_of_goods_sold,
        gross_profit,
        {{ safe_ratio('gross_profit', 'revenue', 4) }} as gross_margin_pct,
        {{ money_ratio('revenue', 'units_sold') }} as average_selling_price,
        units_delivered,
        units_returned,
        {{ safe_ratio('units_returned', 'units_delivered + units_returned', 4) }} as return_rate,
        units_sold_trailing,
        revenue_trailing,
        round(units_sold_trailing / {{ var('slow_mover_window_days') }}, 4) as units_per_day_trailing,
        cast(date_diff('day', last_sale_date, as_of_date) as integer) as days_since_last_sale,
        {{ safe_ratio('revenue', 'sum(revenue) over (partition by category_name)', 4) }} as share_of_category_revenue,
        cast(rank() over (order by revenue desc) as integer) as revenue_rank_overall,
        cast(rank() over (partition by category_name order by revenue desc) as integer) as revenue_rank_in_category,
        cast(rank() over (order by gross_profit desc) as integer) as profit_rank_overall,
        cast(rank() over (order by units_sold desc) as integer) as units_rank_overall,

        is_active,
        units_sold > 0 as has_sales,
        is_active and units_sold_trailing < {{ var('slow_mover_max_units') }} as is_slow_mover,

        first_sale_date,
        last_sale_date,
        as_of_date

    from measured

)

select * from final
