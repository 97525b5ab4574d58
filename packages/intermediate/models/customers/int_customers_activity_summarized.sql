{%- set active_days = var('active_customer_days', 90) -%}

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
        sum(pageview_count) as pageview_count,
        count(*) filter (where has_purchase) as purchase_session_count,
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
        customer_orders.days_since_first_order,
        customer_orders.days_since_last_order,
        coalesce(sessions_by_customer.session_count, 0) as session_count,
        coalesce(sessions_by_customer.pageview_count, 0) as pageview_count,
        coalesce(sessions_by_customer.purchase_session_count, 0) as purchase_session_count,
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

final as (
    select
        -- ids
        customer_id,

        -- strings
        case
            when order_count = 0 then 'prospect'
            when days_since_first_order <= {{ active_days }} then 'new'
            when days_since_last_order <= {{ active_days }} then 'active'
            when days_since_last_order <= 2 * {{ active_days }} then 'at_risk'
            else 'dormant'
        end as lifecycle_stage,

        -- numerics
        session_count,
        pageview_count,
        purchase_session_count,
        {{ safe_divide('purchase_session_count', 'session_count') }} as session_conversion_rate,
        order_count,
        completed_order_count,
        lifetime_value,
        {{ days_between('signup_date', 'as_of_date') }} as days_since_signup,
        days_since_last_order,
        {{ days_between('last_active_date', 'as_of_date') }} as days_since_last_activity,

        -- booleans
        session_count > 0 as has_web_activity,
        order_count > 0 as has_ordered,
        coalesce({{ days_between('last_active_date', 'as_of_date') }} <= {{ active_days }}, false) as is_active,

        -- dates
        signup_date,
        first_order_date,
        last_order_date,
        last_active_date,
        as_of_date,

        -- timestamps
        first_seen_at,
        last_seen_at

    from activity
)

select * from final
