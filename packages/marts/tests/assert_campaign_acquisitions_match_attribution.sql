-- Under first-touch and last-touch, campaigns together acquire exactly the customers whose
-- acquisition a campaign touch preceded (organic acquisitions belong to no campaign); under
-- linear, the same count up to rounding.

with campaigns as (

    select
        sum(customers_acquired_first_touch) as first_touch,
        sum(customers_acquired_last_touch) as last_touch,
        sum(customers_acquired_linear) as linear
    from {{ ref('campaign_performance') }}

),

acquired as (

    select count(distinct customer_id) as customers
    from {{ ref('marketing_attribution') }}
    where not is_organic

)

select campaigns.*, acquired.customers
from campaigns
cross join acquired
where campaigns.first_touch <> acquired.customers
    or campaigns.last_touch <> acquired.customers
    or abs(campaigns.linear - acquired.customers) > 0.01
