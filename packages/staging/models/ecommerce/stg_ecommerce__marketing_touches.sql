with

source as (
    select * from {{ source('ecommerce', 'marketing_touches') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as marketing_touch_id,
        cast(customer_id as bigint) as customer_id,
        cast(campaign_id as integer) as campaign_id,

        -- strings
        lower(channel) as channel,

        -- dates
        cast(touched_at as date) as touch_date,

        -- timestamps
        cast(touched_at as timestamp) as touched_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
