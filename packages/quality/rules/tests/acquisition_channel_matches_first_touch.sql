-- Rule: one story of acquisition. A customer's recorded acquisition channel is the channel of
-- the first touch of their attribution (`direct` when no touch preceded their first valid order).
-- One difference is allowed, and only where it is explained: the warehouse records the channel
-- at the customer's first order of any status, while acquisition is the first valid order, so a
-- customer whose first order was cancelled or returned and who was touched before ordering again
-- may carry the channel of the first touch up to that first order instead.

with first_touch_credit as (

    select customer_id, channel, converted_at
    from {{ ref('marketing_attribution') }}
    where attribution_model = 'first_touch'

),

customers as (

    select customer_id, acquisition_channel
    from {{ ref('staging', 'stg_ecommerce__customers') }}

),

first_orders as (

    select customer_id, min(ordered_at) as first_ordered_at
    from {{ ref('staging', 'stg_ecommerce__orders') }}
    group by customer_id

),

touches as (

    select * from {{ ref('staging', 'stg_ecommerce__marketing_touches') }}

),

-- The first touch at or before the customer's first order of any status.
first_touch_before_first_order as (

    select
        first_orders.customer_id,
        first_orders.first_ordered_at,
        (array_agg(touches.channel order by touches.touched_at, touches.marketing_touch_id))[1] as channel
    from first_orders
    left join touches
        on first_orders.customer_id = touches.customer_id
        and touches.touched_at <= first_orders.first_ordered_at
    group by first_orders.customer_id, first_orders.first_ordered_at

)

select
    first_touch_credit.customer_id,
    customers.acquisition_channel,
    first_touch_credit.channel as first_touch_channel
from first_touch_credit
inner join customers
    on first_touch_credit.customer_id = customers.customer_id
inner join first_touch_before_first_order as before_first
    on first_touch_credit.customer_id = before_first.customer_id
where customers.acquisition_channel <> first_touch_credit.channel
    and not (
        before_first.first_ordered_at < first_touch_credit.converted_at
        and customers.acquisition_channel = coalesce(before_first.channel, 'direct')
    )
