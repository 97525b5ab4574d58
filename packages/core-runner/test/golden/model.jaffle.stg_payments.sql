select
    payment_id,
    order_id,
    round(amount_cents / 100.0, 2) as amount,
from "wh"."main"."raw_payments"
