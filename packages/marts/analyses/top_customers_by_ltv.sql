-- T067: the 10 customers with the highest lifetime value (completed order totals), with their segment,
-- RFM cell and how recently they ordered.

select
    customer_id,
    full_name,
    customer_segment,
    rfm_cell,
    completed_order_count,
    lifetime_value,
    average_order_value,
    days_since_last_order,
    first_order_date,
    last_order_date
from {{ ref('customer_analytics') }}
order by lifetime_value desc, customer_id
limit 10
