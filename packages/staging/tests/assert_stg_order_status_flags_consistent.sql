-- The status flags partition orders: a completed order is valid, cancelled and returned orders
-- are not, and no order is both cancelled and returned.
select
    order_id,
    status,
    is_completed,
    is_cancelled,
    is_returned,
    is_valid
from {{ ref('stg_ecommerce__orders') }}
where (is_completed and not is_valid)
    or (is_cancelled and is_valid)
    or (is_returned and is_valid)
    or (is_cancelled and is_returned)
    or (is_valid != not (is_cancelled or is_returned))
