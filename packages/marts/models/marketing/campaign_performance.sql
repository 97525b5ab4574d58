{{ config(materialized='table') }}

-- One row per campaign: reach (touches, customers touched), customers acquired under each
-- attribution model, the orders and revenue tagged with the campaign, and the economics of the
-- customers it acquired (linear model): acquisition cost (CAC), their lifetime value and ROI.
-- Spend is the campaign budget (the warehouse holds no finer spend data).

with campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

touches as (

    select
        campaign_id,
        count(*) as touch_count,
        count(distinct customer_id) as customers_touched
    from {{ ref('staging', 'stg_ecommerce__marketing_touches') }}
    group by campaign_id

),

acquisitions as (

    select
        campaign_id,
        sum(attribution_weight) filter (where attribution_model = 'first_touch') as customers_acquired_first_touch,
        sum(attribution_weight) filter (where attribution_model = 'last_touch') as customers_acquired_last_touch,
        sum(attribution_weight) filter (where attribution_model = 'linear') as customers_acquired_linear,
        sum(attributed_lifetime_value) filter (where attribution_model = 'linear') as acquired_customer_ltv,
        sum(attributed_first_order_revenue) filter (where attribution_model = 'linear') as acquired_first_order_revenue
    from {{ ref('marketing_attribution') }}
    group by campaign_id

),

tagged_orders as (

    select
        campaign_id,
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(distinct customer_id) filter (where is_valid) as ordering_customer_count,
        sum(order_total) filter (where is_valid) as revenue,
        sum(recognized_revenue) as completed_revenue
    from {{ ref('fct_orders') }}
    where campaign_id is not null
    group by campaign_id

),

final as (

    select
        campaigns.campaign_id,

        campaigns.campaign_name,
        campaigns.channel,

        campaigns.budget,
        cast(coalesce(touches.touch_count, 0) as integer) as touch_count,
        cast(coalesce(touches.customers_touched, 0) as integer) as customers_touched,
        cast(coalesce(acquisitions.customers_acquired_first_touch, 0) as integer) as customers_acquired_first_touch,
        cast(coalesce(acquisitions.customers_acquired_last_touch, 0) as integer) as customers_acquired_last_touch,
        round(coalesce(acquisitions.customers_acquired_linear, 0), 4) as customers_acquired_linear,
        cast(coalesce(tagged_orders.order_count, 0) as integer) as order_count,
        cast(coalesce(tagged_orders.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(tagged_orders.ordering_customer_count, 0) as integer) as ordering_customer_count,
        cast(coalesce(tagged_orders.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(tagged_orders.completed_revenue, 0) as decimal(18, 2)) as completed_revenue,
        cast(coalesce(acquisitions.acquired_first_order_revenue, 0) as decimal(18, 2)) as acquired_first_order_revenue,
        cast(coalesce(acquisitions.acquired_customer_ltv, 0) as decimal(18, 2)) as acquired_customer_ltv,
        {{ money_per_weight('campaigns.budget', 'acquisitions.customers_acquired_linear') }} as customer_acquisition_cost,
        {{ money_per_weight('acquisitions.acquired_customer_ltv', 'acquisitions.customers_acquired_linear') }} as ltv_per_acquired_customer,
        {{ growth_rate('coalesce(acquisitions.acquired_customer_ltv, 0)', 'campaigns.budget') }} as return_on_investment,
        {{ safe_ratio('coalesce(tagged_orders.revenue, 0)', 'campaigns.budget', 4) }} as return_on_ad_spend,

        campaigns.start_date,
        campaigns.end_date

    from campaigns
    left join touches
        on campaigns.campaign_id = touches.campaign_id
    left join acquisitions
        on campaigns.campaign_id = acquisitions.campaign_id
    left join tagged_orders
        on campaigns.campaign_id = tagged_orders.campaign_id

)

select * from final
