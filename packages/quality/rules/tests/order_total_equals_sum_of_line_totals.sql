-- Rule: an order's subtotal is the sum of its line totals, and its total is subtotal + shipping + tax.

with lines as (

    select order_id, sum(line_total) as line_total_sum
    from {{ ref('stg_ecommerce__order_items') }}
    group by order_id

)

select
    orders.order_id,
    orders.subtotal,
    lines.line_total_sum,
    orders.shipping_amount,
    orders.tax_amount,
    orders.order_total
from {{ ref('stg_ecommerce__orders') }} as orders
left join lines
    on orders.order_id = lines.order_id
where orders.subtotal <> coalesce(lines.line_total_sum, 0)
    or orders.order_total <> orders.subtotal + orders.shipping_amount + orders.tax_amount
