with

source as (
    select * from {{ source('ecommerce', 'refunds') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as refund_id,
        cast(order_id as bigint) as order_id,

        -- strings
        reason as refund_reason,

        -- numerics
        {{ cents_to_dollars('amount_cents') }} as amount,

        -- dates
        cast(refunded_at as date) as refund_date,

        -- timestamps
        cast(refunded_at as timestamp) as refunded_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
