-- Rule: a customer's lifetime value is the sum of their completed (delivered) order totals, 0 when none.

with completed as (

    select customer_id, sum(order_total) as completed_total
    from {{ ref('stg_ecommerce__orders') }}
    where is_completed
    group by customer_id

)

select
    customers.customer_id,
    customers.lifetime_value,
    coalesce(completed.completed_total, 0) as expected_lifetime_value
from {{ ref('customer_analytics') }} as customers
left join completed
    on customers.customer_id = completed.customer_id
where customers.lifetime_value <> coalesce(completed.completed_total, 0)
