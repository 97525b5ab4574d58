with

source as (
    select * from {{ source('ecommerce', 'order_status_history') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as order_status_change_id,
        cast(order_id as bigint) as order_id,

        -- strings
        lower(status) as status,

        -- dates
        cast(changed_at as date) as changed_date,

        -- timestamps
        cast(changed_at as timestamp) as changed_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
