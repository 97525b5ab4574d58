-- Rule: a customer is acquired by their first valid order. The converting order of every
-- attributed customer is valid, belongs to them, and no valid order of theirs was placed before
-- it (ties on ordered_at go to the lower order_id).

with acquisitions as (

    select distinct customer_id, converting_order_id, converted_at
    from {{ ref('marketing_attribution') }}

),

orders as (

    select * from {{ ref('staging', 'stg_ecommerce__orders') }}

)

select
    acquisitions.customer_id,
    acquisitions.converting_order_id,
    'converting order is not a valid order of the customer' as problem
from acquisitions
left join orders
    on acquisitions.converting_order_id = orders.order_id
where orders.order_id is null
    or not orders.is_valid
    or orders.customer_id <> acquisitions.customer_id
    or orders.ordered_at <> acquisitions.converted_at

union all

select
    acquisitions.customer_id,
    acquisitions.converting_order_id,
    'an earlier valid order exists: ' || earlier.order_id
from acquisitions
inner join orders as earlier
    on acquisitions.customer_id = earlier.customer_id
    and earlier.is_valid
    and (earlier.ordered_at < acquisitions.converted_at
        or (earlier.ordered_at = acquisitions.converted_at and earlier.order_id < acquisitions.converting_order_id))
