with

order_items as (
    select * from {{ ref('stg_ecommerce__order_items') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

products as (
    select * from {{ ref('stg_ecommerce__products') }}
),

final as (
    select
        -- ids
        order_items.order_item_id,
        order_items.order_id,
        orders.customer_id,
        order_items.product_id,
        orders.campaign_id,

        -- strings
        orders.status as order_status,
        products.product_name,
        products.brand,
        products.category_name,
        products.subcategory_name,

        -- numerics
        order_items.quantity,
        order_items.unit_price,
        products.unit_cost,
        order_items.discount_pct,
        order_items.gross_amount,
        order_items.discount_amount,
        order_items.line_total,
        cast(order_items.quantity * products.unit_cost as decimal(18, 2)) as cost_amount,
        cast(order_items.line_total - order_items.quantity * products.unit_cost as decimal(18, 2)) as profit,

        -- booleans
        orders.is_completed,
        orders.is_cancelled,
        orders.is_returned,
        orders.is_valid,
        order_items.has_discount,

        -- dates
        orders.order_date,

        -- timestamps
        orders.ordered_at,
        order_items.loaded_at

    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    inner join products
        on order_items.product_id = products.product_id
)

select * from final
