{{ config(materialized='table') }}

-- One row per customer (SCD type 1: the attributes as they are now) with the lifetime figures of
-- the customer's order history: first and last order, completed orders, lifetime value, average
-- order value, the segment and the active flag. The lifetime figures are the running figures of
-- the customer's latest order in int_customer_order_history. Earlier versions of the attributes
-- live in dim_customers_history (SCD type 2), which the order fact joins for the version in force.

with customers as (

    select * from {{ ref('staging', 'stg_ecommerce__customers') }}

),

order_history as (

    select * from {{ ref('intermediate', 'int_customer_order_history') }}

),

-- The latest order carries the running totals of everything before it.
lifetime as (

    select
        customer_id,
        running_completed_order_count as total_orders,
        running_completed_revenue as lifetime_value,
        running_average_order_value as average_order_value,
        first_order_date,
        order_date as last_order_date
    from order_history
    where is_latest_order

),

as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

measured as (

    select
        customers.*,
        coalesce(lifetime.total_orders, 0) as total_orders,
        coalesce(lifetime.lifetime_value, 0) as lifetime_value,
        lifetime.average_order_value,
        lifetime.first_order_date,
        lifetime.last_order_date,
        {{ days_between('customers.signup_date', 'as_of.as_of_date') }} as days_since_signup,
        {{ days_between('lifetime.first_order_date', 'as_of.as_of_date') }} as days_since_first_order,
        {{ days_between('lifetime.last_order_date', 'as_of.as_of_date') }} as days_since_last_order
    from customers
    cross join as_of
    left join lifetime
        on customers.customer_id = lifetime.customer_id

),

final as (

    select
        {{ generate_surrogate_key(['customer_id']) }} as customer_key,
        customer_id,

        full_name,
        email,
        country,
        state,
        city,
        acquisition_channel,
        {{ customer_segment('lifetime_value', 'days_since_first_order', 'days_since_last_order', 'days_since_signup') }} as customer_segment,

        cast(total_orders as integer) as total_orders,
        cast(lifetime_value as decimal(18, 2)) as lifetime_value,
        average_order_value,
        cast(days_since_last_order as integer) as days_since_last_order,

        coalesce(days_since_last_order <= {{ var('active_customer_days') }}, false) as is_active,
        is_marketing_opt_in,

        signup_date,
        first_order_date,
        last_order_date,

        signed_up_at,
        updated_at,
        {{ run_timestamp() }} as dbt_updated_at

    from measured

)

select * from final
