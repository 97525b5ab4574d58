-- fct_orders.customer_version_key is the customer version in force when the order was placed (or the
-- first version, for an order older than every version).

select
    orders.order_id,
    orders.ordered_at,
    customers.valid_from,
    customers.valid_to
from {{ ref('fct_orders') }} as orders
inner join {{ ref('dim_customers_history') }} as customers
    on orders.customer_version_key = customers.customer_version_key
where orders.customer_id <> customers.customer_id
    or (orders.ordered_at < customers.valid_from and customers.version_number > 1)
    or orders.ordered_at >= customers.valid_to
