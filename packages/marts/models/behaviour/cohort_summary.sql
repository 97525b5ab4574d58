{{ config(materialized='table') }}

-- One row per signup cohort (calendar month of signup): size, how many became buyers, the value
-- they produced, how many were still ordering 1, 3, 6 and 12 months after signing up, how many
-- are active or engaged web users now, and how old the cohort's customers are at the as-of date.
-- A retention figure is null until the cohort is old enough to have it, and null for a cohort
-- that signed up before order history begins (flagged is_before_order_history): its early
-- orders are unknown, so it is left out of retention and days-to-first-order averages.

with customers as (

    select * from {{ ref('customer_analytics') }}

),

users as (

    select
        customer_id,
        user_lifecycle_stage,
        total_revenue,
        customer_age_days
    from {{ ref('user_metrics') }}

),

retention as (

    select * from {{ ref('cohort_retention') }}

),

first_valid_orders as (

    select customer_id, min(order_date) as first_valid_order_date
    from {{ ref('fct_orders') }}
    where is_valid
    group by customer_id

),

order_history as (

    select min(order_date) as order_history_start_date
    from {{ ref('fct_orders') }}

),

members as (

    select
        cast(date_trunc('month', customers.signup_date) as date) as cohort_month,
        customers.customer_id,
        customers.valid_order_count,
        customers.completed_order_count,
        customers.lifetime_value,
        users.user_lifecycle_stage,
        users.total_revenue,
        users.customer_age_days,
        {{ days_between('customers.signup_date', 'first_valid_orders.first_valid_order_date') }} as days_to_first_valid_order
    from customers
    inner join users
        on customers.customer_id = users.customer_id
    left join first_valid_orders
        on customers.customer_id = first_valid_orders.customer_id

),

cohorts as (

    select
        cohort_month,
        count(*) as cohort_size,
        count(*) filter (where valid_order_count > 0) as buyer_count,
        count(*) filter (where completed_order_count > 0) as completed_buyer_count,
        count(*) filter (where completed_order_count > 1) as repeat_buyer_count,
        count(*) filter (where user_lifecycle_stage = 'active') as active_user_count,
        count(*) filter (where user_lifecycle_stage in ('active', 'engaged')) as engaged_user_count,
        sum(valid_order_count) as valid_order_count,
        sum(lifetime_value) as lifetime_value,
        sum(total_revenue) as cohort_revenue,
        -- Over buyers only: customers with a valid order, timed to their first valid order.
        avg(days_to_first_valid_order) filter (where valid_order_count > 0) as avg_days_to_first_order,
        avg(customer_age_days) as avg_customer_age_days,
        percentile_cont(0.5) within group (order by customer_age_days) as median_customer_age_days
    from members
    group by cohort_month

),

retention_milestones as (

    select
        cohort_month,
        max(retention_rate) filter (where months_since_signup = 1) as retention_rate_month_1,
        max(retention_rate) filter (where months_since_signup = 3) as retention_rate_month_3,
        max(retention_rate) filter (where months_since_signup = 6) as retention_rate_month_6,
        max(retention_rate) filter (where months_since_signup = 12) as retention_rate_month_12,
        max(months_since_signup) as months_observed
    from retention
    group by cohort_month

),

flagged as (

    select
        cohorts.*,
        coalesce(cohorts.cohort_month < order_history.order_history_start_date, false) as is_before_order_history
    from cohorts
    cross join order_history

),

final as (

    select
        {{ date_key('flagged.cohort_month') }} as date_key,

        cast(flagged.cohort_size as integer) as cohort_size,
        cast(flagged.buyer_count as integer) as buyer_count,
        {{ round_double('100 * cast(flagged.buyer_count as double precision) / flagged.cohort_size', 2) }} as buyer_conversion_rate_pct,
        cast(flagged.completed_buyer_count as integer) as completed_buyer_count,
        cast(flagged.repeat_buyer_count as integer) as repeat_buyer_count,
        cast(flagged.active_user_count as integer) as active_user_count,
        cast(flagged.engaged_user_count as integer) as engaged_user_count,
        cast(flagged.valid_order_count as integer) as valid_order_count,
        cast(flagged.lifetime_value as decimal(18, 2)) as lifetime_value,
        {{ money_divide('flagged.lifetime_value', 'flagged.cohort_size') }} as lifetime_value_per_customer,
        {{ money_divide('flagged.lifetime_value', 'flagged.completed_buyer_count') }} as lifetime_value_per_buyer,
        cast(flagged.cohort_revenue as decimal(18, 2)) as cohort_revenue,
        {{ money_divide('flagged.cohort_revenue', 'flagged.cohort_size') }} as avg_revenue_per_user,
        {{ money_divide('flagged.cohort_revenue', 'flagged.buyer_count') }} as avg_revenue_per_buyer,
        case
            when not flagged.is_before_order_history then {{ round_double('cast(flagged.avg_days_to_first_order as double precision)', 2) }}
        end as avg_days_to_first_order,
        retention_milestones.retention_rate_month_1,
        retention_milestones.retention_rate_month_3,
        retention_milestones.retention_rate_month_6,
        retention_milestones.retention_rate_month_12,
        case
            when not flagged.is_before_order_history
                then {{ round_double('100 * cast(flagged.active_user_count as double precision) / flagged.cohort_size', 2) }}
        end as active_retention_rate_pct,
        case
            when not flagged.is_before_order_history
                then {{ round_double('100 * cast(flagged.engaged_user_count as double precision) / flagged.cohort_size', 2) }}
        end as engaged_retention_rate_pct,
        {{ round_double('cast(flagged.avg_customer_age_days as double precision)', 2) }} as avg_customer_age_days,
        cast(flagged.median_customer_age_days as double precision) as median_customer_age_days,
        cast(retention_milestones.months_observed as integer) as months_observed,

        flagged.is_before_order_history,

        flagged.cohort_month,
        {{ run_timestamp() }} as dbt_updated_at

    from flagged
    left join retention_milestones
        on flagged.cohort_month = retention_milestones.cohort_month

)

select * from final
