with

source as (
    select * from {{ source('ecommerce', 'products') }}
),

-- The category hierarchy seed gives the ids of the category and subcategory named on the product
-- (002 §6.2: "join categories").
categories as (
    select * from {{ ref('product_categories') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as product_id,
        cast(categories.category_id as integer) as category_id,
        cast(categories.subcategory_id as integer) as subcategory_id,

        -- strings
        sku,
        name as product_name,
        brand,
        category as category_name,
        subcategory as subcategory_name,

        -- numerics
        {{ cents_to_dollars('unit_cost_cents') }} as unit_cost,
        {{ cents_to_dollars('list_price_cents') }} as list_price,
        {{ cents_to_dollars('list_price_cents - unit_cost_cents') }} as unit_margin,

        -- booleans
        is_active,

        -- dates
        cast(launched_at as date) as launch_date,

        -- timestamps
        cast(launched_at as timestamp) as launched_at,
        cast(updated_at as timestamp) as updated_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
    left join categories
        on source.category = categories.category_name
        and source.subcategory = categories.subcategory_name
)

select * from final
