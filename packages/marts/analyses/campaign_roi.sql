-- Campaign return on investment (003 T069): which campaigns pay back what they have cost so far?
-- Every ratio is measured against spend to date (the budget spread over the flight up to the
-- as-of date), so a running campaign is judged on its spend so far and one that has not started
-- has no ROI yet (null, listed last). ROI is in percent: 0 means the acquired customers'
-- revenue (linear attribution) just repays the spend, −100 that they brought nothing; ROI on
-- gross profit is the stricter margin view (revenue minus cost of goods). ROAS compares the
-- revenue of orders tagged with the campaign with the spend (1.0 = break-even on revenue).

select
    campaign_name,
    channel,
    is_active,
    budget,
    spend_to_date,
    customers_acquired_first_touch,
    customers_acquired_last_touch,
    customers_acquired_linear,
    customer_acquisition_cost,
    acquired_customer_revenue,
    acquired_customer_gross_profit,
    ltv_per_acquired_customer,
    roi_on_revenue_pct,
    roi_on_gross_profit_pct,
    revenue as tagged_revenue,
    return_on_ad_spend
from {{ ref('campaign_performance') }}
order by roi_on_revenue_pct desc nulls last
