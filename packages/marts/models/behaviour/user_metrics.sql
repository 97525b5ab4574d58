{{ config(materialized='table') }}

-- One row per customer: web activity (sessions, pageviews, time on site, carts, purchases),
-- orders and value, conversion from session to purchase, and the lifecycle stage, measured as
-- of the reporting as-of date.

with activity as (

    select * from {{ ref('intermediate', 'int_customers_activity_summarized') }}

),

customers as (

    select customer_key, customer_id, acquisition_channel, is_marketing_opt_in
    from {{ ref('dim_customers') }}

),

sessions as (

    select
        customer_id,
        count(*) filter (where has_add_to_cart) as cart_session_count,
        count(*) filter (where outcome = 'abandoned_cart') as abandoned_cart_session_count,
        count(*) filter (where is_bounce) as bounce_session_count,
        sum(event_count) as event_count,
        avg(duration_seconds) as avg_session_duration_seconds
    from {{ ref('intermediate', 'int_web_sessions') }}
    where customer_id is not null
    group by customer_id

),

final as (

    select
        customers.customer_key,
        activity.customer_id,

        customers.acquisition_channel,
        activity.lifecycle_stage,

        cast(activity.session_count as integer) as session_count,
        cast(coalesce(sessions.event_count, 0) as integer) as event_count,
        cast(activity.pageview_count as integer) as pageview_count,
        cast(coalesce(sessions.cart_session_count, 0) as integer) as cart_session_count,
        cast(coalesce(sessions.abandoned_cart_session_count, 0) as integer) as abandoned_cart_session_count,
        cast(coalesce(sessions.bounce_session_count, 0) as integer) as bounce_session_count,
        cast(activity.purchase_session_count as integer) as purchase_session_count,
        round(sessions.avg_session_duration_seconds, 1) as avg_session_duration_seconds,
        {{ safe_ratio('activity.pageview_count', 'activity.session_count', 2) }} as pageviews_per_session,
        round(activity.session_conversion_rate, 4) as session_conversion_rate,
        {{ safe_ratio('coalesce(sessions.abandoned_cart_session_count, 0)', 'sessions.cart_session_count', 4) }} as cart_abandonment_rate,
        cast(activity.order_count as integer) as order_count,
        cast(activity.completed_order_count as integer) as completed_order_count,
        cast(activity.lifetime_value as decimal(18, 2)) as lifetime_value,
        cast(activity.days_since_signup as integer) as days_since_signup,
        cast(activity.days_since_last_order as integer) as days_since_last_order,
        cast(activity.days_since_last_activity as integer) as days_since_last_activity,

        activity.has_web_activity,
        activity.has_ordered,
        activity.is_active,
        customers.is_marketing_opt_in,

        activity.signup_date,
        activity.first_order_date,
        activity.last_order_date,
        activity.last_active_date,
        activity.as_of_date,

        activity.first_seen_at,
        activity.last_seen_at

    from activity
    inner join customers
        on activity.customer_id = customers.customer_id
    left join sessions
        on activity.customer_id = sessions.customer_id

)

select * from final
