{{ config(materialized='table') }}

-- One row per customer: web activity (sessions, events, active days, carts, purchases), what they
-- bought (counted orders: valid and at least min_order_amount), conversion, value per day and
-- the 004 engagement scores and segments, measured as of the reporting as-of date.

{%- set high_value = var('high_value_customer_threshold', 1000) %}

with activity as (

    select * from {{ ref('intermediate', 'int_customers_activity_summarized') }}

),

purchases as (

    select * from {{ ref('intermediate', 'int_customers_purchases_summarized') }}

),

customers as (

    select customer_key, customer_id, acquisition_channel, is_marketing_opt_in
    from {{ ref('dim_customers') }}

),

-- Sessions longer than max_session_duration_hours are left out of the average duration.
sessions as (

    select
        customer_id,
        count(*) filter (where has_add_to_cart) as cart_session_count,
        count(*) filter (where outcome = 'abandoned_cart') as abandoned_cart_session_count,
        count(*) filter (where is_bounce) as bounce_session_count,
        avg(duration_seconds) filter (where not is_over_max_duration) as avg_session_duration_seconds
    from {{ ref('intermediate', 'int_web_sessions') }}
    where customer_id is not null
    group by customer_id

),

joined as (

    select
        activity.*,
        customers.customer_key,
        customers.acquisition_channel,
        customers.is_marketing_opt_in,
        purchases.preferred_product_category,
        purchases.preferred_payment_method,
        purchases.buyer_segment,
        purchases.total_orders,
        purchases.total_revenue,
        purchases.avg_order_value,
        purchases.unique_product_categories,
        purchases.unique_payment_methods,
        sessions.cart_session_count,
        sessions.abandoned_cart_session_count,
        sessions.bounce_session_count,
        sessions.avg_session_duration_seconds
    from activity
    inner join customers
        on activity.customer_id = customers.customer_id
    inner join purchases
        on activity.customer_id = purchases.customer_id
    left join sessions
        on activity.customer_id = sessions.customer_id

),

final as (

    select
        customer_key,
        customer_id,

        acquisition_channel,
        user_lifecycle_stage,
        buyer_segment,
        -- 004's value bands over total_revenue; the top band is the project's VIP threshold.
        case
            when total_revenue >= {{ high_value }} then 'high_value'
            when total_revenue >= 300 then 'medium_value'
            when total_revenue > 0 then 'low_value'
            else 'no_purchases'
        end as customer_value_segment,
        preferred_product_category,
        preferred_payment_method,

        cast(session_count as integer) as session_count,
        cast(event_count as integer) as event_count,
        cast(pageview_count as integer) as pageview_count,
        cast(active_days as integer) as active_days,
        cast(coalesce(cart_session_count, 0) as integer) as cart_session_count,
        cast(coalesce(abandoned_cart_session_count, 0) as integer) as abandoned_cart_session_count,
        cast(coalesce(bounce_session_count, 0) as integer) as bounce_session_count,
        cast(purchase_session_count as integer) as purchase_session_count,
        {{ round_double('cast(avg_session_duration_seconds as double precision)', 1) }} as avg_session_duration_seconds,
        {{ round_double('cast(avg_events_per_active_day as double precision)', 2) }} as avg_events_per_active_day,
        {{ round_double('cast(avg_events_per_session as double precision)', 2) }} as avg_events_per_session,
        {{ safe_ratio('pageview_count', 'session_count', 2) }} as pageviews_per_session,
        {{ round_double('cast(session_conversion_rate as double precision)', 4) }} as session_conversion_rate,
        {{ safe_ratio('coalesce(abandoned_cart_session_count, 0)', 'cart_session_count', 4) }} as cart_abandonment_rate,
        {{ safe_ratio('total_orders', 'pageview_count', 4) }} as overall_conversion_rate,
        cast(order_count as integer) as order_count,
        cast(completed_order_count as integer) as completed_order_count,
        cast(total_orders as integer) as total_orders,
        cast(unique_product_categories as integer) as unique_product_categories,
        cast(unique_payment_methods as integer) as unique_payment_methods,
        cast(lifetime_value as decimal(18, 2)) as lifetime_value,
        total_revenue,
        avg_order_value,
        {{ money_divide('total_revenue', 'active_days') }} as revenue_per_active_day,
        {{ money_divide('total_revenue', 'greatest(customer_age_days, 0)') }} as daily_customer_value,
        cast(least(
            100,
            active_days * 2
            + total_orders * 5
            + case when total_revenue > 100 then 20 else 0 end
            + case when user_lifecycle_stage = 'active' then 15 else 0 end
        ) as integer) as user_quality_score,
        cast(customer_age_days as integer) as customer_age_days,
        cast(days_since_last_order as integer) as days_since_last_order,
        cast(days_since_last_activity as integer) as days_since_last_activity,

        has_web_activity,
        is_web_user,
        has_ordered,
        is_active,
        is_marketing_opt_in,

        signup_date,
        first_order_date,
        last_order_date,
        last_active_date,
        as_of_date,

        first_seen_at,
        last_seen_at,
        {{ run_timestamp() }} as dbt_updated_at

    from joined

)

select * from final
