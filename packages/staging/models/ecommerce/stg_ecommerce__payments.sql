with

source as (
    select * from {{ source('ecommerce', 'payments') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as payment_id,
        cast(order_id as bigint) as order_id,

        -- strings
        lower(payment_method) as payment_method,

        -- numerics
        {{ cents_to_dollars('amount_cents') }} as amount,

        -- dates
        cast(paid_at as date) as paid_date,

        -- timestamps
        cast(paid_at as timestamp) as paid_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
