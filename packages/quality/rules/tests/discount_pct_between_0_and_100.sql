-- Rule: a line discount is between 0 and 100 percent, and its amount never exceeds the gross amount.

select order_item_id, discount_pct, discount_amount, gross_amount
from {{ ref('stg_ecommerce__order_items') }}
where discount_pct < 0
    or discount_pct > 100
    or discount_amount < 0
    or discount_amount > gross_amount
