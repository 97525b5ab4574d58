{{ config(materialized='table') }}

-- One row per customer (current attributes, every customer including those who never ordered):
-- lifetime value, order counts, AOV, recency / frequency / monetary with their 1-5 scores, and
-- the customer segment. "Days since" figures are measured against the reporting as-of date.

with customers as (

    select * from {{ ref('dim_customers') }}

),

orders_by_customer as (

    select * from {{ ref('intermediate', 'int_orders_aggregated_by_customer') }}

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
        customers.customer_segment,
        orders_by_customer.order_count,
        orders_by_customer.completed_order_count,
        orders_by_customer.valid_order_count,
        orders_by_customer.cancelled_order_count,
        orders_by_customer.returned_order_count,
        orders_by_customer.lifetime_value,
        orders_by_customer.valid_order_total,
        orders_by_customer.average_order_value,
        {{ days_between('customers.signup_date', 'orders_by_customer.as_of_date') }} as days_since_signup,
        orders_by_customer.days_since_first_order,
        orders_by_customer.days_since_last_order,
        orders_by_customer.days_since_last_completed_order,
        customers.is_active,
        customers.is_marketing_opt_in,
        orders_by_customer.has_ordered,
        orders_by_customer.completed_order_count > 0 as has_completed_order,
        orders_by_customer.is_repeat_customer,
        customers.signup_date,
        orders_by_customer.first_order_date,
        orders_by_customer.last_order_date,
        orders_by_customer.last_completed_order_date,
        orders_by_customer.as_of_date
    from customers
    inner join orders_by_customer
        on customers.customer_id = orders_by_customer.customer_id

),

-- RFM ranks each customer with a completed order against the others who have one, worst first,
-- and cuts the ranking into quintiles (ntile(5)): recency = days since the last completed order
-- (fewer is better), frequency = completed orders, monetary = lifetime value. Tie rule: a tie on
-- the measure is broken by the other two measures (better ranks higher), then by customer_id — so
-- the many customers with one completed order spread over the lower frequency scores instead of
-- all scoring 1. Customers without a completed order get no scores.
scored as (

    select
        *,
        case when has_completed_order then {{ quintile_score(
            ['days_since_last_completed_order desc', 'completed_order_count', 'lifetime_value', 'customer_id'],
            partition_by='has_completed_order') }} end as recency_score,
        case when has_completed_order then {{ quintile_score(
            ['completed_order_count', 'lifetime_value', 'days_since_last_completed_order desc', 'customer_id'],
            partition_by='has_completed_order') }} end as frequency_score,
        case when has_completed_order then {{ quintile_score(
            ['lifetime_value', 'completed_order_count', 'days_since_last_completed_order desc', 'customer_id'],
            partition_by='has_completed_order') }} end as monetary_score
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
        -- From dim_customers, where the segment is defined once (macro customer_segment).
        customer_segment,
        cast(recency_score as varchar) || cast(frequency_score as varchar) || cast(monetary_score as varchar) as rfm_cell,

        cast(order_count as integer) as order_count,
        cast(completed_order_count as integer) as completed_order_count,
        cast(valid_order_count as integer) as valid_order_count,
        cast(cancelled_order_count as integer) as cancelled_order_count,
        cast(returned_order_count as integer) as returned_order_count,
        lifetime_value,
        average_order_value,
        valid_order_total,
        cast(days_since_signup as integer) as days_since_signup,
        cast(days_since_first_order as integer) as days_since_first_order,
        cast(days_since_last_order as integer) as days_since_last_order,
        cast(days_since_last_completed_order as integer) as recency_days,
        cast(completed_order_count as integer) as frequency,
        lifetime_value as monetary_value,
        recency_score,
        frequency_score,
        monetary_score,
        recency_score + frequency_score + monetary_score as rfm_total_score,

        has_ordered,
        has_completed_order,
        is_repeat_customer,
        lifetime_value >= {{ var('high_value_customer_threshold') }} as is_high_value,
        is_active,
        is_marketing_opt_in,

        signup_date,
        first_order_date,
        last_order_date,
        last_completed_order_date,
        as_of_date,

        {{ run_timestamp() }} as dbt_updated_at

    from scored

)

select * from final
