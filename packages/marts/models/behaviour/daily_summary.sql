{{ config(materialized='table') }}

-- One row per day from the first web event, signup or order to the reporting as-of date, every
-- day present: web traffic (events, visitors, sessions and their outcomes), signups, orders and
-- revenue (net merchandise revenue of valid orders), the customers active and buying that day,
-- and the conversion from session to purchase and from visitor to order.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

web_events as (

    select
        event_date as date_day,
        count(*) as event_count,
        count(*) filter (where event_type = 'pageview') as pageview_count,
        count(*) filter (where event_type = 'purchase') as purchase_event_count,
        count(distinct anonymous_id) as visitor_count,
        count(distinct customer_id) as identified_customer_count
    from {{ ref('staging', 'stg_ecommerce__web_events') }}
    group by event_date

),

sessions as (

    select
        session_date as date_day,
        count(*) as session_count,
        count(*) filter (where has_purchase) as purchase_session_count,
        count(*) filter (where has_add_to_cart) as cart_session_count,
        count(*) filter (where is_bounce) as bounce_session_count,
        avg(event_count) as avg_events_per_session,
        -- Sessions longer than max_session_duration_hours are left out of the average duration.
        avg(duration_seconds) filter (where not is_over_max_duration) as avg_session_duration_seconds
    from {{ ref('intermediate', 'int_web_sessions') }}
    group by session_date

),

session_customers as (

    select distinct session_date as date_day, customer_id
    from {{ ref('intermediate', 'int_web_sessions') }}
    where customer_id is not null

),

signups as (

    select signup_date as date_day, count(*) as signup_count
    from {{ ref('staging', 'stg_ecommerce__customers') }}
    group by signup_date

),

fct_orders as (

    select * from {{ ref('fct_orders') }}

),

-- A customer is new on the date of their first order, whatever its status.
first_orders as (

    select customer_id, min(order_date) as first_order_date
    from fct_orders
    group by customer_id

),

orders as (

    select
        order_date,
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(distinct customer_id) filter (where is_valid) as unique_buyers,
        coalesce(sum(subtotal) filter (where is_valid), 0) as revenue
    from fct_orders
    group by order_date

),

new_customers as (

    select first_order_date as date_day, count(*) as new_customer_count
    from first_orders
    group by first_order_date

),

buyers as (

    select distinct order_date as date_day, customer_id
    from fct_orders
    where is_valid

),

-- Customers active on a day: a web session attributed to them started, or they placed a valid order.
active_customers as (

    select date_day, count(*) as active_users
    from (
        select date_day, customer_id from session_customers
        union
        select date_day, customer_id from buyers
    ) as active
    group by date_day

),

bounds as (

    select
        least(
            (select min(date_day) from web_events),
            (select min(date_day) from signups),
            (select min(order_date) from orders)
        ) as first_date,
        as_of.as_of_date as last_date
    from as_of

),

days as (

    select dim_date.date_key, dim_date.date_day, dim_date.is_weekend, dim_date.is_us_holiday
    from {{ ref('dim_date') }} as dim_date
    inner join bounds
        on dim_date.date_day between bounds.first_date and bounds.last_date

),

final as (

    select
        days.date_key,

        cast(coalesce(web_events.event_count, 0) as integer) as event_count,
        cast(coalesce(web_events.pageview_count, 0) as integer) as pageview_count,
        cast(coalesce(web_events.purchase_event_count, 0) as integer) as purchase_event_count,
        cast(coalesce(web_events.visitor_count, 0) as integer) as visitor_count,
        cast(coalesce(web_events.identified_customer_count, 0) as integer) as identified_customer_count,
        cast(coalesce(sessions.session_count, 0) as integer) as session_count,
        cast(coalesce(sessions.purchase_session_count, 0) as integer) as purchase_session_count,
        cast(coalesce(sessions.cart_session_count, 0) as integer) as cart_session_count,
        cast(coalesce(sessions.bounce_session_count, 0) as integer) as bounce_session_count,
        {{ round_double('cast(sessions.avg_session_duration_seconds as double precision)', 1) }} as avg_session_duration_seconds,
        {{ round_double('cast(sessions.avg_events_per_session as double precision)', 2) }} as avg_events_per_session,
        cast(coalesce(active_customers.active_users, 0) as integer) as active_users,
        cast(coalesce(signups.signup_count, 0) as integer) as signup_count,
        cast(coalesce(orders.order_count, 0) as integer) as order_count,
        cast(coalesce(orders.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(orders.unique_buyers, 0) as integer) as unique_buyers,
        cast(coalesce(new_customers.new_customer_count, 0) as integer) as new_customer_count,
        cast(coalesce(orders.revenue, 0) as decimal(18, 2)) as revenue,
        {{ money_divide('orders.revenue', 'orders.valid_order_count') }} as avg_order_value,
        {{ safe_ratio('coalesce(sessions.purchase_session_count, 0)', 'sessions.session_count', 4) }} as session_conversion_rate,
        {{ safe_ratio('100.0 * coalesce(sessions.purchase_session_count, 0)', 'sessions.session_count', 2) }} as conversion_rate_pct,
        {{ safe_ratio('100.0 * coalesce(orders.unique_buyers, 0)', 'active_customers.active_users', 2) }} as buyer_rate_pct,
        {{ safe_ratio('coalesce(sessions.bounce_session_count, 0)', 'sessions.session_count', 4) }} as bounce_rate,
        {{ safe_ratio('coalesce(web_events.purchase_event_count, 0)', 'web_events.visitor_count', 4) }} as orders_per_visitor,

        days.is_weekend,
        days.is_us_holiday,

        days.date_day,
        {{ run_timestamp() }} as dbt_updated_at

    from days
    left join web_events
        on days.date_day = web_events.date_day
    left join sessions
        on days.date_day = sessions.date_day
    left join signups
        on days.date_day = signups.date_day
    left join orders
        on days.date_day = orders.order_date
    left join new_customers
        on days.date_day = new_customers.date_day
    left join active_customers
        on days.date_day = active_customers.date_day

)

select * from final
