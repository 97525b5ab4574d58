with

source as (
    select * from "wh"."raw"."orders"
),

renamed as (
    select
        id as order_id,
        customer as customer_id,
        ordered_at::date as order_date,
    from source
    where ordered_at >= '2024-01-01'
)

select * from renamed
