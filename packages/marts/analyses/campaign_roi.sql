-- Campaign return on investment: budget against the lifetime value of the customers each
-- campaign acquired (linear attribution), with CAC, ROAS and the acquisition count under each model.

select
    campaign_name,
    channel,
    budget,
    customers_acquired_first_touch,
    customers_acquired_last_touch,
    customers_acquired_linear,
    customer_acquisition_cost,
    acquired_customer_ltv,
    ltv_per_acquired_customer,
    return_on_investment,
    revenue as tagged_revenue,
    return_on_ad_spend
from {{ ref('campaign_performance') }}
order by return_on_investment desc nulls last
