-- Under every attribution model, the credit for one customer's acquisition sums to 1.

select
    customer_id,
    attribution_model,
    sum(attribution_weight) as total_weight
from {{ ref('marketing_attribution') }}
group by customer_id, attribution_model
having abs(sum(attribution_weight) - 1) > 0.0001
