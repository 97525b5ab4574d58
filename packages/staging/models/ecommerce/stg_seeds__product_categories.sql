with

source as (
    select * from {{ ref('product_categories') }}
),

final as (
    select
        -- ids
        cast(subcategory_id as integer) as subcategory_id,
        cast(category_id as integer) as category_id,

        -- strings
        category_name,
        subcategory_name

    from source
)

select * from final
