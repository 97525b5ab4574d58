-- Rule: campaign spend to date and daily marketing spend are one allocation. Per channel, the
-- spend_to_date of its campaigns (campaign_performance) equals the daily spend summed over every
-- day up to the as-of date (marketing_performance_daily), to the cent; and every campaign's
-- allocated days add up to exactly its budget.

with campaigns as (

    select channel, sum(spend_to_date) as spend_to_date
    from {{ ref('campaign_performance') }}
    group by channel

),

daily as (

    select channel, sum(spend) as spend
    from {{ ref('marketing_performance_daily') }}
    group by channel

),

flights as (

    select
        allocated.campaign_id,
        sum(allocated.spend) as allocated_spend,
        max(campaigns.budget) as budget
    from {{ ref('intermediate', 'int_campaign_budgets_allocated_by_day') }} as allocated
    inner join {{ ref('dim_campaigns') }} as campaigns
        on allocated.campaign_id = campaigns.campaign_id
    group by allocated.campaign_id

)

select
    'channel ' || coalesce(campaigns.channel, daily.channel) as scope,
    campaigns.spend_to_date as expected,
    daily.spend as actual
from campaigns
full outer join daily
    on campaigns.channel = daily.channel
where coalesce(campaigns.spend_to_date, 0) <> coalesce(daily.spend, 0)

union all

select
    'campaign ' || campaign_id,
    budget,
    allocated_spend
from flights
where allocated_spend <> budget
