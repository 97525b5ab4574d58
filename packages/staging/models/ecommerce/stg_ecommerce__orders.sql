with

source as (
    select * from {{ source('ecommerce', 'orders') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as order_id,
        cast(customer_id as bigint) as customer_id,
        cast(campaign_id as integer) as campaign_id,

        -- strings
        lower(status) as status,
        nullif(trim(coupon_code), '') as coupon_code,

        -- numerics
        {{ cents_to_dollars('subtotal_cents') }} as subtotal,
        {{ cents_to_dollars('shipping_cents') }} as shipping_amount,
        {{ cents_to_dollars('tax_cents') }} as tax_amount,
        {{ cents_to_dollars('order_total_cents') }} as order_total,

        -- booleans
        lower(status) = 'delivered' as is_completed,
        lower(status) = 'cancelled' as is_cancelled,
        lower(status) = 'returned' as is_returned,
        lower(status) not in ('cancelled', 'returned') as is_valid,
        nullif(trim(coupon_code), '') is not null as has_coupon,

        -- dates
        cast(ordered_at as date) as order_date,

        -- timestamps
        cast(ordered_at as timestamp) as ordered_at,
        cast(shipped_at as timestamp) as shipped_at,
        cast(delivered_at as timestamp) as delivered_at,
        cast(updated_at as timestamp) as updated_at,
        cast(_loaded_at as timestamp) as loaded_at,
        {{ run_timestamp() }} as dbt_updated_at

    from source
)

select * from final
