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

-- The product as it was when the line was sold — its unit cost (the money terms' cost of goods)
-- and its category — from the product history: each snapshot version holds from its own
-- updated_at to the next version's; a line sold before the first known version takes that first
-- version, and a product the snapshot has not seen yet its current values. Reading the current
-- category instead would make an incremental fact disagree with a full refresh once a product
-- moves category.
product_versions as (
    select
        product_id,
        unit_cost,
        category_name,
        subcategory_name,
        updated_at as effective_from,
        lead(updated_at) over (partition by product_id order by updated_at, dbt_valid_from) as effective_to,
        row_number() over (partition by product_id order by updated_at, dbt_valid_from) as version_number
    from {{ ref('staging', 'snap_products') }}
),

lines as (
    select
        order_items.*,
        orders.customer_id,
        orders.campaign_id,
        orders.status as order_status,
        orders.is_completed,
        orders.is_cancelled,
        orders.is_returned,
        orders.is_valid,
        orders.order_date,
        orders.ordered_at,
        coalesce(sold_at.unit_cost, first_version.unit_cost, products.unit_cost) as unit_cost_at_sale,
        coalesce(sold_at.category_name, first_version.category_name, products.category_name) as category_name_at_sale,
        coalesce(sold_at.subcategory_name, first_version.subcategory_name, products.subcategory_name) as subcategory_name_at_sale
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    inner join products
        on order_items.product_id = products.product_id
    left join product_versions as sold_at
        on order_items.product_id = sold_at.product_id
        and orders.ordered_at >= sold_at.effective_from
        -- the latest version has no end; no "is null or" here, which makes DuckDB compare
        -- every line with every version instead of hashing on product_id
        and orders.ordered_at < coalesce(sold_at.effective_to, cast('infinity' as timestamp))
    left join product_versions as first_version
        on order_items.product_id = first_version.product_id
        and first_version.version_number = 1
),

final as (
    select
        -- ids
        lines.order_item_id,
        lines.order_id,
        lines.customer_id,
        lines.product_id,
        lines.campaign_id,

        -- strings
        lines.order_status,
        products.product_name,
        products.brand,
        products.category_name,
        products.subcategory_name,
        lines.category_name_at_sale,
        lines.subcategory_name_at_sale,

        -- numerics
        lines.quantity,
        lines.unit_price,
        lines.unit_cost_at_sale as unit_cost,
        lines.discount_pct,
        lines.gross_amount,
        lines.discount_amount,
        lines.line_total,
        cast(lines.quantity * lines.unit_cost_at_sale as decimal(18, 2)) as cost_amount,
        cast(lines.line_total - lines.quantity * lines.unit_cost_at_sale as decimal(18, 2)) as profit,

        -- booleans
        lines.is_completed,
        lines.is_cancelled,
        lines.is_returned,
        lines.is_valid,
        lines.has_discount,

        -- dates
        lines.order_date,

        -- timestamps
        lines.ordered_at,
        lines.loaded_at

    from lines
    inner join products
        on lines.product_id = products.product_id
)

select * from final
