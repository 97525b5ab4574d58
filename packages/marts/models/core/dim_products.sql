{{ config(materialized='table') }}

-- One row per product (current attributes), with its place in the category hierarchy from the
-- product_categories seed and its unit economics at list price.

with products as (

    select * from {{ ref('staging', 'stg_ecommerce__products') }}

),

categories as (

    select * from {{ ref('staging', 'stg_seeds__product_categories') }}

),

final as (

    select
        {{ generate_surrogate_key(['products.product_id']) }} as product_key,
        products.product_id,
        categories.category_id,
        categories.subcategory_id,

        products.sku,
        products.product_name,
        products.brand,
        products.category_name,
        products.subcategory_name,
        case
            when products.list_price < 25 then 'budget'
            when products.list_price < 100 then 'mid-range'
            else 'premium'
        end as price_band,

        products.unit_cost,
        products.list_price,
        cast(products.list_price - products.unit_cost as decimal(18, 2)) as unit_margin,
        {{ safe_ratio('100 * (products.list_price - products.unit_cost)', 'products.list_price', 2) }} as margin_pct,
        {{ safe_ratio('100 * (products.list_price - products.unit_cost)', 'products.unit_cost', 2) }} as markup_pct,

        products.is_active,

        cast(products.launched_at as date) as launched_date,

        products.launched_at,
        products.updated_at

    from products
    left join categories
        on products.category_name = categories.category_name
        and products.subcategory_name = categories.subcategory_name

)

select * from final
