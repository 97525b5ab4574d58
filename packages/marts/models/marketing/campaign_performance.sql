{{ config(materialized='table') }}

-- One row per campaign: spend to date, reach (touches, customers touched), customers acquired
-- under each attribution model, the orders and revenue tagged with the campaign up to the as-of
-- date, and the economics of the customers it acquired (linear model): acquisition cost (CAC),
-- their revenue, gross profit and lifetime value, ROI and ROAS.
-- Every ratio is measured against spend to date — the budget spread evenly over the flight up
-- to the as-of date, the very daily spend marketing_performance_daily shows — so a campaign
-- still running is judged on what it has cost so far and one that has not started (no spend
-- yet) has null ratios rather than a loss of 100%.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

spend as (

    select
        allocated.campaign_id,
        sum(allocated.spend) as spend_to_date,
        count(*) as flight_days_elapsed
    from {{ ref('intermediate', 'int_campaign_budgets_allocated_by_day') }} as allocated
    cross join as_of
    where allocated.spend_date <= as_of.as_of_date
    group by allocated.campaign_id

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
        sum(attributed_first_order_revenue) filter (where attribution_model = 'linear') as acquired_first_order_revenue,
        sum(attributed_revenue) filter (where attribution_model = 'linear') as acquired_customer_revenue,
        sum(attributed_gross_profit) filter (where attribution_model = 'linear') as acquired_customer_gross_profit,
        sum(attributed_lifetime_value) filter (where attribution_model = 'linear') as acquired_customer_ltv
    from {{ ref('marketing_attribution') }}
    where campaign_id is not null
    group by campaign_id

),

tagged_orders as (

    select
        fct_orders.campaign_id,
        count(*) as order_count,
        count(*) filter (where fct_orders.is_valid) as valid_order_count,
        count(distinct fct_orders.customer_id) filter (where fct_orders.is_valid) as ordering_customer_count,
        sum(fct_orders.subtotal) filter (where fct_orders.is_valid) as revenue,
        sum(fct_orders.subtotal) filter (where fct_orders.is_completed) as completed_revenue,
        sum(fct_orders.order_total) filter (where fct_orders.is_valid) as gross_order_value
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where fct_orders.campaign_id is not null
        and fct_orders.order_date <= as_of.as_of_date
    group by fct_orders.campaign_id

),

measures as (

    select
        campaigns.*,
        as_of.as_of_date,
        cast(coalesce(spend.spend_to_date, 0) as decimal(18, 2)) as spend_to_date,
        cast(coalesce(spend.flight_days_elapsed, 0) as integer) as flight_days_elapsed,
        cast(coalesce(touches.touch_count, 0) as integer) as touch_count,
        cast(coalesce(touches.customers_touched, 0) as integer) as customers_touched,
        cast(coalesce(acquisitions.customers_acquired_first_touch, 0) as integer) as customers_acquired_first_touch,
        cast(coalesce(acquisitions.customers_acquired_last_touch, 0) as integer) as customers_acquired_last_touch,
        acquisitions.customers_acquired_linear as customers_acquired_linear_unrounded,
        {{ round_double('coalesce(acquisitions.customers_acquired_linear, 0)', 4) }} as customers_acquired_linear,
        cast(coalesce(tagged_orders.order_count, 0) as integer) as order_count,
        cast(coalesce(tagged_orders.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(tagged_orders.ordering_customer_count, 0) as integer) as ordering_customer_count,
        cast(coalesce(tagged_orders.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(tagged_orders.completed_revenue, 0) as decimal(18, 2)) as completed_revenue,
        cast(coalesce(tagged_orders.gross_order_value, 0) as decimal(18, 2)) as gross_order_value,
        cast(coalesce(acquisitions.acquired_first_order_revenue, 0) as decimal(18, 2)) as acquired_first_order_revenue,
        cast(coalesce(acquisitions.acquired_customer_revenue, 0) as decimal(18, 2)) as acquired_customer_revenue,
        cast(coalesce(acquisitions.acquired_customer_gross_profit, 0) as decimal(18, 2)) as acquired_customer_gross_profit,
        cast(coalesce(acquisitions.acquired_customer_ltv, 0) as decimal(18, 2)) as acquired_customer_ltv
    from campaigns
    cross join as_of
    left join spend
        on campaigns.campaign_id = spend.campaign_id
    left join touches
        on campaigns.campaign_id = touches.campaign_id
    left join acquisitions
        on campaigns.campaign_id = acquisitions.campaign_id
    left join tagged_orders
        on campaigns.campaign_id = tagged_orders.campaign_id

),

final as (

    select
        campaign_id,

        campaign_name,
        channel,

        budget,
        spend_to_date,
        flight_days,
        flight_days_elapsed,
        touch_count,
        customers_touched,
        customers_acquired_first_touch,
        customers_acquired_last_touch,
        customers_acquired_linear,
        order_count,
        valid_order_count,
        ordering_customer_count,
        revenue,
        completed_revenue,
        gross_order_value,
        acquired_first_order_revenue,
        acquired_customer_revenue,
        acquired_customer_gross_profit,
        acquired_customer_ltv,
        {{ money_per_weight('nullif(spend_to_date, 0)', 'customers_acquired_linear_unrounded') }} as customer_acquisition_cost,
        {{ money_per_weight('acquired_customer_ltv', 'customers_acquired_linear_unrounded') }} as ltv_per_acquired_customer,
        {{ round_double('100 * ' ~ safe_ratio('acquired_customer_revenue - spend_to_date', 'spend_to_date'), 2) }} as roi_on_revenue_pct,
        {{ round_double('100 * ' ~ safe_ratio('acquired_customer_gross_profit - spend_to_date', 'spend_to_date'), 2) }} as roi_on_gross_profit_pct,
        {{ safe_ratio('revenue', 'spend_to_date', 4) }} as return_on_ad_spend,

        as_of_date between start_date and end_date as is_active,

        start_date,
        end_date,
        as_of_date

    from measures

)

select * from final
