-- Rule: every order line sells at least one unit.

select order_item_id, quantity
from {{ ref('stg_ecommerce__order_items') }}
where quantity is null or quantity <= 0
