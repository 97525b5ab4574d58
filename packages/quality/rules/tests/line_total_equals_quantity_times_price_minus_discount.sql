-- Rule: a line's total is quantity × unit price − discount amount.

select
    order_item_id,
    quantity,
    unit_price,
    discount_amount,
    line_total
from {{ ref('stg_ecommerce__order_items') }}
where line_total <> quantity * unit_price - discount_amount
