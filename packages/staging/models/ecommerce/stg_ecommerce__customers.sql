with

source as (
    select * from {{ source('ecommerce', 'customers') }}
),

final as (
    select
        -- ids
        cast(id as bigint) as customer_id,

        -- strings
        trim(first_name) as first_name,
        trim(last_name) as last_name,
        concat_ws(' ', trim(first_name), trim(last_name)) as full_name,
        lower(trim(email)) as email,
        phone,
        country,
        state,
        city,
        lower(acquisition_channel) as acquisition_channel,

        -- booleans
        coalesce(marketing_opt_in, false) as is_marketing_opt_in,

        -- dates
        cast(created_at as date) as signup_date,

        -- timestamps
        cast(created_at as timestamp) as signed_up_at,
        cast(updated_at as timestamp) as updated_at,
        cast(_loaded_at as timestamp) as loaded_at

    from source
)

select * from final
