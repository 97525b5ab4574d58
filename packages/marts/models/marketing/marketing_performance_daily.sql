{{ config(materialized='table') }}

-- One row per day × marketing channel, every channel on every day from the first campaign day,
-- touch or order to the reporting as-of date: spend (each campaign's budget spread evenly over
-- its flight, int_campaign_budgets_allocated_by_day, whole cents a day), touches, tagged web
-- sessions, tagged orders and their net revenue, ROAS = revenue / spend as shown, and the
-- acquisitions the linear attribution model credits to the channel's campaigns on the day the
-- customer converted.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

channels as (

    select distinct channel from campaigns

),

bounds as (

    select
        least(
            (select min(start_date) from campaigns),
            (select min(touch_date) from {{ ref('staging', 'stg_ecommerce__marketing_touches') }}),
            (select min(order_date) from {{ ref('fct_orders') }})
        ) as first_date,
        as_of.as_of_date as last_date
    from as_of

),

days as (

    select dim_date.date_key, dim_date.date_day
    from {{ ref('dim_date') }} as dim_date
    inner join bounds
        on dim_date.date_day between bounds.first_date and bounds.last_date

),

spend as (

    select
        spend_date as date_day,
        channel,
        count(*) as active_campaign_count,
        sum(spend) as spend
    from {{ ref('intermediate', 'int_campaign_budgets_allocated_by_day') }}
    group by spend_date, channel

),

touches as (

    select
        touch_date as date_day,
        channel,
        count(*) as touch_count,
        count(distinct customer_id) as customers_touched
    from {{ ref('staging', 'stg_ecommerce__marketing_touches') }}
    group by touch_date, channel

),

sessions as (

    select
        web_sessions.session_date as date_day,
        campaigns.channel,
        count(*) as session_count,
        count(*) filter (where web_sessions.has_purchase) as purchase_session_count
    from {{ ref('intermediate', 'int_web_sessions') }} as web_sessions
    inner join campaigns
        on web_sessions.utm_campaign_id = campaigns.campaign_id
    group by web_sessions.session_date, campaigns.channel

),

tagged_orders as (

    select
        order_date as date_day,
        campaign_channel as channel,
        count(*) filter (where is_valid) as valid_order_count,
        sum(subtotal) filter (where is_valid) as revenue
    from {{ ref('fct_orders') }}
    where campaign_id is not null
    group by order_date, campaign_channel

),

acquisitions as (

    select
        conversion_date as date_day,
        channel,
        sum(attribution_weight) as customers_acquired_linear
    from {{ ref('marketing_attribution') }}
    where attribution_model = 'linear'
        and not is_organic
    group by conversion_date, channel

),

final as (

    select
        {{ generate_surrogate_key(['days.date_day', 'channels.channel']) }} as channel_day_key,
        days.date_key,

        channels.channel,

        cast(coalesce(spend.active_campaign_count, 0) as integer) as active_campaign_count,
        cast(coalesce(spend.spend, 0) as decimal(18, 2)) as spend,
        cast(coalesce(touches.touch_count, 0) as integer) as touch_count,
        cast(coalesce(touches.customers_touched, 0) as integer) as customers_touched,
        cast(coalesce(sessions.session_count, 0) as integer) as session_count,
        cast(coalesce(sessions.purchase_session_count, 0) as integer) as purchase_session_count,
        cast(coalesce(tagged_orders.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(tagged_orders.revenue, 0) as decimal(18, 2)) as revenue,
        {{ round_double('coalesce(acquisitions.customers_acquired_linear, 0)', 4) }} as customers_acquired_linear,
        {{ safe_ratio('coalesce(tagged_orders.revenue, 0)', 'spend.spend', 4) }} as return_on_ad_spend,

        coalesce(spend.active_campaign_count, 0) > 0 as has_active_campaign,

        days.date_day

    from days
    cross join channels
    left join spend
        on days.date_day = spend.date_day and channels.channel = spend.channel
    left join touches
        on days.date_day = touches.date_day and channels.channel = touches.channel
    left join sessions
        on days.date_day = sessions.date_day and channels.channel = sessions.channel
    left join tagged_orders
        on days.date_day = tagged_orders.date_day and channels.channel = tagged_orders.channel
    left join acquisitions
        on days.date_day = acquisitions.date_day and channels.channel = acquisitions.channel

)

select * from final
