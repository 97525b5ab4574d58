with

source as (
    select * from {{ source('ecommerce', 'web_events') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as web_event_id,
        anonymous_id,
        cast(customer_id as bigint) as customer_id,
        cast(utm_campaign_id as integer) as utm_campaign_id,

        -- strings
        lower(event_type) as event_type,
        page_url,
        nullif(lower(trim(utm_source)), '') as utm_source,

        -- booleans
        customer_id is not null as is_identified,

        -- dates
        cast(occurred_at as date) as event_date,

        -- timestamps
        cast(occurred_at as timestamp) as occurred_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
