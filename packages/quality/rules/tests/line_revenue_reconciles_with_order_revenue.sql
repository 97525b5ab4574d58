-- Rule: the order facts agree on revenue. Σ fct_order_items.total_revenue over valid lines equals
-- Σ (order_total − tax − shipping) of the valid orders in fct_orders — net merchandise revenue
-- counted from the lines and from the order headers.

with lines as (

    select coalesce(sum(total_revenue), 0) as net_revenue
    from {{ ref('fct_order_items') }}
    where is_valid

),

orders as (

    select coalesce(sum(order_total - tax_amount - shipping_amount), 0) as net_revenue
    from {{ ref('fct_orders') }}
    where is_valid

)

select
    lines.net_revenue as line_net_revenue,
    orders.net_revenue as order_net_revenue
from lines
cross join orders
where lines.net_revenue <> orders.net_revenue
