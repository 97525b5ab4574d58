with

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

touches as (
    select * from {{ ref('stg_ecommerce__marketing_touches') }}
),

-- A customer is acquired by their first valid order (not cancelled, not returned), ranked by
-- ordered_at, then order_id: an order that was cancelled or sent back acquired nobody.
conversions as (
    select
        customer_id,
        {{ first_by('order_id', ['ordered_at', 'order_id']) }} as converting_order_id,
        min(ordered_at) as converted_at
    from orders
    where is_valid
    group by customer_id
),

invalid_orders_before as (
    select
        conversions.customer_id,
        count(orders.order_id) as invalid_orders_before_conversion
    from conversions
    inner join orders
        on conversions.customer_id = orders.customer_id
        and not orders.is_valid
        and orders.ordered_at < conversions.converted_at
    group by conversions.customer_id
),

journeys as (
    select
        conversions.customer_id,
        count(touches.marketing_touch_id) as touches_in_journey
    from conversions
    inner join touches
        on conversions.customer_id = touches.customer_id
        and touches.touched_at <= conversions.converted_at
    group by conversions.customer_id
),

final as (
    select
        -- ids
        conversions.customer_id,
        conversions.converting_order_id,

        -- numerics
        coalesce(journeys.touches_in_journey, 0) as touches_in_journey,
        coalesce(invalid_orders_before.invalid_orders_before_conversion, 0) as invalid_orders_before_conversion,
        converting_orders.subtotal as first_order_revenue,
        converting_orders.order_total as first_order_total,

        -- booleans
        journeys.customer_id is null as is_organic,

        -- dates
        converting_orders.order_date as conversion_date,

        -- timestamps
        conversions.converted_at

    from conversions
    inner join orders as converting_orders
        on conversions.converting_order_id = converting_orders.order_id
    left join journeys
        on conversions.customer_id = journeys.customer_id
    left join invalid_orders_before
        on conversions.customer_id = invalid_orders_before.customer_id
)

select * from final
