{{ config(materialized='table') }}

-- One row per acquired customer × attribution model × credited campaign. A customer is acquired
-- by their first valid order (int_customers_acquired: cancelled and returned orders acquire
-- nobody); their journey is every marketing touch up to that moment. Three models share the
-- credit (weights sum to 1 per customer and model):
--   first_touch  the journey's first touch gets 1
--   last_touch   the journey's last touch gets 1
--   linear       every touch gets 1 / touches in the journey (summed per campaign)
-- A customer with no touch before the acquisition is organic: one row per model with no
-- campaign, channel `direct` and weight 1, so every customer with a valid order is attributed
-- and the channels add up to all customers and all revenue.
-- Attributed amounts are the customer's amount split by the weights to the cent, so that under
-- every model they sum per customer to the amount itself (money_allocated).

with acquisitions as (

    select * from {{ ref('intermediate', 'int_customers_acquired') }}

),

touches as (

    select * from {{ ref('intermediate', 'int_marketing_touches_sequenced') }}
    where is_converted

),

customers as (

    select customer_id, lifetime_value
    from {{ ref('customer_analytics') }}

),

-- Net merchandise revenue and gross profit of each customer's valid orders in the order fact.
customer_sales as (

    select
        customer_id,
        sum(subtotal) as net_revenue,
        sum(gross_profit) as gross_profit
    from {{ ref('fct_orders') }}
    where is_valid
    group by customer_id

),

credits as (

    select customer_id, campaign_id, channel, 'first_touch' as attribution_model,
        1 as weight_denominator, touched_at
    from touches
    where is_first_touch

    union all

    select customer_id, campaign_id, channel, 'last_touch',
        1, touched_at
    from touches
    where is_last_touch

    union all

    select customer_id, campaign_id, channel, 'linear',
        touches_in_journey, touched_at
    from touches

    union all

    select acquisitions.customer_id, null, 'direct', models.attribution_model,
        1, null
    from acquisitions
    cross join (values ('first_touch'), ('last_touch'), ('linear')) as models (attribution_model)
    where acquisitions.is_organic

),

-- A campaign's weight numerator is the count of its credited touches (1 for an organic row).
credits_by_campaign as (

    select
        customer_id,
        attribution_model,
        campaign_id,
        channel,
        weight_denominator,
        count(touched_at) as credited_touch_count,
        greatest(count(touched_at), 1) as weight_numerator,
        min(touched_at) as first_credited_touch_at
    from credits
    group by customer_id, attribution_model, campaign_id, channel, weight_denominator

),

-- The running numerator in campaign order (organic rows have no campaign and stand alone), the
-- order in which money_allocated hands out the cents.
credits_in_order as (

    select
        *,
        sum(weight_numerator) over (
            partition by customer_id, attribution_model
            order by campaign_id
            rows between unbounded preceding and current row
        ) as weight_numerator_through
    from credits_by_campaign

),

final as (

    select
        {{ generate_surrogate_key(['credits_in_order.customer_id', 'credits_in_order.attribution_model', 'credits_in_order.campaign_id']) }} as attribution_key,
        credits_in_order.customer_id,
        credits_in_order.campaign_id,
        acquisitions.converting_order_id,

        credits_in_order.attribution_model,
        credits_in_order.channel,

        cast(credits_in_order.credited_touch_count as integer) as credited_touch_count,
        cast(credits_in_order.weight_denominator as integer) as weight_denominator,
        cast(credits_in_order.weight_numerator as double precision) / credits_in_order.weight_denominator as attribution_weight,
        acquisitions.first_order_total,
        acquisitions.first_order_revenue,
        {{ money_allocated('acquisitions.first_order_revenue', 'credits_in_order.weight_numerator_through', 'credits_in_order.weight_numerator', 'credits_in_order.weight_denominator') }} as attributed_first_order_revenue,
        cast(coalesce(customer_sales.net_revenue, 0) as decimal(18, 2)) as customer_revenue,
        {{ money_allocated('coalesce(customer_sales.net_revenue, 0)', 'credits_in_order.weight_numerator_through', 'credits_in_order.weight_numerator', 'credits_in_order.weight_denominator') }} as attributed_revenue,
        cast(coalesce(customer_sales.gross_profit, 0) as decimal(18, 2)) as customer_gross_profit,
        {{ money_allocated('coalesce(customer_sales.gross_profit, 0)', 'credits_in_order.weight_numerator_through', 'credits_in_order.weight_numerator', 'credits_in_order.weight_denominator') }} as attributed_gross_profit,
        customers.lifetime_value,
        {{ money_allocated('customers.lifetime_value', 'credits_in_order.weight_numerator_through', 'credits_in_order.weight_numerator', 'credits_in_order.weight_denominator') }} as attributed_lifetime_value,

        credits_in_order.campaign_id is null as is_organic,

        acquisitions.conversion_date,

        credits_in_order.first_credited_touch_at,
        acquisitions.converted_at

    from credits_in_order
    inner join acquisitions
        on credits_in_order.customer_id = acquisitions.customer_id
    left join customer_sales
        on credits_in_order.customer_id = customer_sales.customer_id
    left join customers
        on credits_in_order.customer_id = customers.customer_id

)

select * from final
