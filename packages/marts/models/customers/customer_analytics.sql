{{ config(materialized='table') }}

-- One row per customer (current attributes): lifetime value, order counts, AOV, recency,
-- RFM scores and the lifecycle segment, all measured as of the reporting as-of date (orders
-- placed after it are ignored).

with customers as (

    select * from {{ ref('dim_customers') }}
    where is_current

),

as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

orders as (

    select fct_orders.*
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where fct_orders.order_date <= as_of.as_of_date

),

orders_by_customer as (

    select
        customer_id,
        count(*) as order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(*) filter (where is_cancelled) as cancelled_order_count,
        count(*) filter (where is_returned) as returned_order_count,
        sum(recognized_revenue) as lifetime_value,
        sum(order_total) filter (where is_valid) as valid_order_revenue,
        sum(gross_profit) filter (where is_completed) as lifetime_gross_profit,
        sum(refunded_amount) as refunded_amount,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        max(order_date) filter (where is_completed) as last_completed_order_date
    from orders
    group by customer_id

),

measured as (

    select
        customers.customer_key,
        customers.customer_id,
        customers.full_name,
        customers.email,
        customers.country,
        customers.state,
        customers.city,
        customers.acquisition_channel,
        cast(coalesce(orders_by_customer.order_count, 0) as integer) as order_count,
        cast(coalesce(orders_by_customer.completed_order_count, 0) as integer) as completed_order_count,
        cast(coalesce(orders_by_customer.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(orders_by_customer.cancelled_order_count, 0) as integer) as cancelled_order_count,
        cast(coalesce(orders_by_customer.returned_order_count, 0) as integer) as returned_order_count,
        cast(coalesce(orders_by_customer.lifetime_value, 0) as decimal(18, 2)) as lifetime_value,
        cast(coalesce(orders_by_customer.valid_order_revenue, 0) as decimal(18, 2)) as valid_order_revenue,
        cast(coalesce(orders_by_customer.lifetime_gross_profit, 0) as decimal(18, 2)) as lifetime_gross_profit,
        cast(coalesce(orders_by_customer.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        customers.is_marketing_opt_in,
        orders_by_customer.customer_id is not null as has_ordered,
        customers.signup_date,
        orders_by_customer.first_order_date,
        orders_by_customer.last_order_date,
        orders_by_customer.last_completed_order_date,
        as_of.as_of_date,
        date_diff('day', customers.signup_date, as_of.as_of_date) as days_since_signup,
        date_diff('day', orders_by_customer.first_order_date, as_of.as_of_date) as days_since_first_order,
        date_diff('day', orders_by_customer.last_order_date, as_of.as_of_date) as days_since_last_order
    from customers
    cross join as_of
    left join orders_by_customer
        on customers.customer_id = orders_by_customer.customer_id

),

-- RFM: each customer who has ordered is ranked against the other customers who have ordered.
-- Recency = days since the last order (fewer is better), frequency = completed orders,
-- monetary = lifetime value; score = 1 + floor(5 × percent_rank), capped at 5.
scored as (

    select
        *,
        case when has_ordered then {{ quintile_score('days_since_last_order', partition_by='has_ordered', descending=true) }} end as recency_score,
        case when has_ordered then {{ quintile_score('completed_order_count', partition_by='has_ordered') }} end as frequency_score,
        case when has_ordered then {{ quintile_score('lifetime_value', partition_by='has_ordered') }} end as monetary_score
    from measured

),

final as (

    select
        customer_key,
        customer_id,

        full_name,
        email,
        country,
        state,
        city,
        acquisition_channel,
        case
            when lifetime_value >= {{ var('high_value_customer_threshold') }}
                and days_since_last_order <= {{ var('active_customer_days') }} then 'vip'
            when coalesce(days_since_first_order, days_since_signup) <= {{ var('active_customer_days') }} then 'new'
            when days_since_last_order <= {{ var('active_customer_days') }} then 'active'
            when days_since_last_order <= 2 * {{ var('active_customer_days') }} then 'at-risk'
            else 'dormant'
        end as customer_segment,
        cast(recency_score as varchar) || cast(frequency_score as varchar) || cast(monetary_score as varchar) as rfm_cell,

        order_count,
        completed_order_count,
        valid_order_count,
        cancelled_order_count,
        returned_order_count,
        lifetime_value,
        {{ money_ratio('lifetime_value', 'completed_order_count') }} as average_order_value,
        valid_order_revenue,
        lifetime_gross_profit,
        refunded_amount,
        cast(days_since_signup as integer) as days_since_signup,
        cast(days_since_first_order as integer) as days_since_first_order,
        cast(days_since_last_order as integer) as days_since_last_order,
        cast(days_since_last_order as integer) as recency_days,
        completed_order_count as frequency,
        lifetime_value as monetary_value,
        recency_score,
        frequency_score,
        monetary_score,
        recency_score + frequency_score + monetary_score as rfm_total_score,

        has_ordered,
        completed_order_count > 0 as has_completed_order,
        lifetime_value >= {{ var('high_value_customer_threshold') }} as is_high_value,
        days_since_last_order <= {{ var('active_customer_days') }} as is_active,
        is_marketing_opt_in,

        signup_date,
        first_order_date,
        last_order_date,
        last_completed_order_date,
        as_of_date

    from scored

)

select * from final
