{%- set active_days_window = var('active_customer_days', 90) -%}
{%- set min_user_events = var('min_user_events', 1) -%}
{%- set active_user_min_events = var('active_user_min_events', 10) -%}

with

customers as (
    select * from {{ ref('stg_ecommerce__customers') }}
),

customer_orders as (
    select * from {{ ref('int_orders_aggregated_by_customer') }}
),

sessions as (
    select * from {{ ref('int_web_sessions') }}
    where customer_id is not null
),

sessions_by_customer as (
    select
        customer_id,
        count(*) as session_count,
        sum(event_count) as event_count,
        sum(pageview_count) as pageview_count,
        count(*) filter (where has_purchase) as purchase_session_count,
        count(distinct session_date) as active_days,
        max(session_date) as last_session_date,
        min(started_at) as first_seen_at,
        max(ended_at) as last_seen_at
    from sessions
    group by customer_id
),

activity as (
    select
        customers.customer_id,
        customers.signup_date,
        customer_orders.as_of_date,
        customer_orders.order_count,
        customer_orders.completed_order_count,
        customer_orders.lifetime_value,
        customer_orders.first_order_date,
        customer_orders.last_order_date,
        customer_orders.days_since_last_order,
        coalesce(sessions_by_customer.session_count, 0) as session_count,
        coalesce(sessions_by_customer.event_count, 0) as event_count,
        coalesce(sessions_by_customer.pageview_count, 0) as pageview_count,
        coalesce(sessions_by_customer.purchase_session_count, 0) as purchase_session_count,
        coalesce(sessions_by_customer.active_days, 0) as active_days,
        sessions_by_customer.first_seen_at,
        sessions_by_customer.last_seen_at,
        -- greatest() skips nulls in DuckDB: the later of the two, or whichever exists.
        greatest(sessions_by_customer.last_session_date, customer_orders.last_order_date) as last_active_date
    from customers
    inner join customer_orders
        on customers.customer_id = customer_orders.customer_id
    left join sessions_by_customer
        on customers.customer_id = sessions_by_customer.customer_id
),

measured as (
    select
        *,
        {{ days_between('last_active_date', 'as_of_date') }} as days_since_last_activity
    from activity
),

final as (
    select
        -- ids
        customer_id,

        -- strings
        -- 004's user lifecycle, first rule wins; "recent" is the project's active_customer_days.
        case
            when event_count < {{ min_user_events }} then 'inactive'
            when days_since_last_activity > {{ active_days_window }} then 'dormant'
            when event_count >= {{ active_user_min_events }} and active_days >= 3 then 'active'
            when event_count >= 3 then 'engaged'
            else 'new'
        end as user_lifecycle_stage,

        -- numerics
        session_count,
        event_count,
        pageview_count,
        purchase_session_count,
        active_days,
        {{ safe_divide('purchase_session_count', 'session_count') }} as session_conversion_rate,
        {{ safe_divide('event_count', 'active_days') }} as avg_events_per_active_day,
        {{ safe_divide('event_count', 'session_count') }} as avg_events_per_session,
        order_count,
        completed_order_count,
        lifetime_value,
        {{ days_between('signup_date', 'as_of_date') }} as customer_age_days,
        days_since_last_order,
        days_since_last_activity,

        -- booleans
        session_count > 0 as has_web_activity,
        event_count >= {{ min_user_events }} as is_web_user,
        order_count > 0 as has_ordered,
        coalesce(days_since_last_activity <= {{ active_days_window }}, false) as is_active,

        -- dates
        signup_date,
        first_order_date,
        last_order_date,
        last_active_date,
        as_of_date,

        -- timestamps
        first_seen_at,
        last_seen_at

    from measured
)

select * from final
