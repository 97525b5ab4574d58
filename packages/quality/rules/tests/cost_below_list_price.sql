-- Rule: every product costs the business less than its list price.

select product_id, unit_cost, list_price
from {{ ref('stg_ecommerce__products') }}
where unit_cost >= list_price
