{{ config(materialized='table') }}

-- One row per acquired customer × attribution model × credited campaign. A customer is acquired
-- by their first order; their journey is every marketing touch up to that moment. Three models
-- share the credit (weights sum to 1 per customer and model):
--   first_touch  the journey's first touch gets 1
--   last_touch   the journey's last touch gets 1
--   linear       every touch gets 1 / touches in the journey (summed per campaign)
-- Attributed values are the customer's first order total and lifetime value times the weight.

with touches as (

    select * from {{ ref('intermediate', 'int_marketing_touches_sequenced') }}
    where is_converted

),

customers as (

    select customer_id, lifetime_value
    from {{ ref('customer_analytics') }}

),

converting_orders as (

    select order_id, order_total
    from {{ ref('fct_orders') }}

),

credits as (

    select customer_id, converting_order_id, campaign_id, channel, 'first_touch' as attribution_model,
        1 as weight_denominator, touched_at, converted_at
    from touches
    where is_first_touch

    union all

    select customer_id, converting_order_id, campaign_id, channel, 'last_touch',
        1, touched_at, converted_at
    from touches
    where is_last_touch

    union all

    select customer_id, converting_order_id, campaign_id, channel, 'linear',
        touches_in_journey, touched_at, converted_at
    from touches

),

credits_by_campaign as (

    select
        customer_id,
        attribution_model,
        campaign_id,
        channel,
        converting_order_id,
        weight_denominator,
        count(*) as credited_touch_count,
        min(touched_at) as first_credited_touch_at,
        converted_at
    from credits
    group by all

),

-- weight = credited touches / weight denominator (1 for first and last touch, the journey's
-- touch count for linear). Attributed money is rounded once, exactly, on integer cents.
final as (

    select
        {{ generate_surrogate_key(['credits_by_campaign.customer_id', 'credits_by_campaign.attribution_model', 'credits_by_campaign.campaign_id']) }} as attribution_key,
        credits_by_campaign.customer_id,
        credits_by_campaign.campaign_id,
        credits_by_campaign.converting_order_id,

        credits_by_campaign.attribution_model,
        credits_by_campaign.channel,

        cast(credits_by_campaign.credited_touch_count as integer) as credited_touch_count,
        cast(credits_by_campaign.weight_denominator as integer) as weight_denominator,
        cast(credits_by_campaign.credited_touch_count as double) / credits_by_campaign.weight_denominator as attribution_weight,
        converting_orders.order_total as first_order_total,
        {{ money_divide('credits_by_campaign.credited_touch_count * converting_orders.order_total', 'credits_by_campaign.weight_denominator') }} as attributed_first_order_revenue,
        customers.lifetime_value,
        {{ money_divide('credits_by_campaign.credited_touch_count * customers.lifetime_value', 'credits_by_campaign.weight_denominator') }} as attributed_lifetime_value,

        cast(credits_by_campaign.converted_at as date) as conversion_date,

        credits_by_campaign.first_credited_touch_at,
        credits_by_campaign.converted_at

    from credits_by_campaign
    inner join converting_orders
        on credits_by_campaign.converting_order_id = converting_orders.order_id
    left join customers
        on credits_by_campaign.customer_id = customers.customer_id

)

select * from final
