with

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
    where is_valid
),

sales_by_product_day as (
    select
        product_id,
        order_date,
        any_value(category_name) as category_name,
        any_value(subcategory_name) as subcategory_name,
        count(distinct order_id) as order_count,
        sum(quantity) as units_sold,
        sum(line_total) as revenue,
        sum(discount_amount) as discount_amount,
        sum(cost_amount) as cost_amount
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
        units_sold,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        cast(cost_amount as decimal(18, 2)) as cost_amount,
        cast(revenue - cost_amount as decimal(18, 2)) as profit,

        -- dates
        order_date

    from sales_by_product_day
)

select * from final
