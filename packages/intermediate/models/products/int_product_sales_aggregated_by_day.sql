with

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

-- Every product × day with an order line of any status: sales measures count valid orders (not
-- cancelled, not returned), the unit counts by status feed return rates over any window.
sales_by_product_day as (
    select
        product_id,
        order_date,
        -- a product has one (current) category, so min() is that category
        min(category_name) as category_name,
        min(subcategory_name) as subcategory_name,
        count(distinct order_id) filter (where is_valid) as order_count,
        count(distinct order_id) filter (where is_valid and has_discount) as orders_with_discount,
        coalesce(sum(quantity) filter (where is_valid), 0) as units_sold,
        coalesce(sum(quantity) filter (where is_completed), 0) as units_delivered,
        coalesce(sum(quantity) filter (where is_returned), 0) as units_returned,
        coalesce(sum(quantity) filter (where is_cancelled), 0) as units_cancelled,
        coalesce(sum(discount_amount) filter (where is_valid), 0) as discount_amount,
        coalesce(sum(line_total) filter (where is_valid), 0) as daily_revenue,
        coalesce(sum(cost_amount) filter (where is_valid), 0) as cost_of_goods
    from order_items
    group by product_id, order_date
),

final as (
    select
        -- ids
        {{ generate_surrogate_key(['product_id', 'order_date']) }} as product_day_key,
        product_id,

        -- strings
        category_name,
        subcategory_name,

        -- numerics
        order_count,
        orders_with_discount,
        units_sold,
        units_delivered,
        units_returned,
        units_cancelled,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        cast(daily_revenue as decimal(18, 2)) as daily_revenue,
        cast(cost_of_goods as decimal(18, 2)) as cost_of_goods,
        cast(daily_revenue - cost_of_goods as decimal(18, 2)) as daily_profit,

        -- booleans
        units_sold > 0 as has_sales,

        -- dates
        order_date

    from sales_by_product_day
)

select * from final
