with

source as (
    select * from {{ source('ecommerce', 'order_items') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as order_item_id,
        cast(order_id as bigint) as order_id,
        cast(product_id as bigint) as product_id,

        -- numerics
        cast(quantity as integer) as quantity,
        {{ cents_to_dollars('unit_price_cents') }} as unit_price,
        cast(discount_pct as decimal(5, 2)) as discount_pct,
        {{ cents_to_dollars('quantity * unit_price_cents') }} as gross_amount,
        {{ cents_to_dollars('discount_cents') }} as discount_amount,
        {{ cents_to_dollars('line_total_cents') }} as line_total,

        -- booleans
        discount_cents > 0 as has_discount,

        -- timestamps
        cast(_loaded_at as timestamp) as loaded_at,
        {{ run_timestamp() }} as dbt_updated_at

    from source
)

select * from final
