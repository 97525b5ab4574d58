-- Rule: no order is dated after the moment it was loaded into the warehouse.

select order_id, ordered_at, loaded_at
from {{ ref('stg_ecommerce__orders') }}
where ordered_at > loaded_at
