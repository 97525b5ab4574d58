{{ config(materialized='table') }}

-- One row per signup cohort (calendar month of signup): size, how many became buyers, the value
-- they produced and how many were still ordering 1, 3, 6 and 12 months after signing up.
-- A retention figure is null until the cohort is old enough to have it.

with customers as (

    select * from {{ ref('customer_analytics') }}

),

retention as (

    select * from {{ ref('cohort_retention') }}

),

cohorts as (

    select
        cast(date_trunc('month', signup_date) as date) as cohort_month,
        count(*) as cohort_size,
        count(*) filter (where valid_order_count > 0) as buyer_count,
        count(*) filter (where completed_order_count > 0) as completed_buyer_count,
        count(*) filter (where completed_order_count > 1) as repeat_buyer_count,
        sum(valid_order_count) as valid_order_count,
        sum(lifetime_value) as lifetime_value,
        avg(date_diff('day', signup_date, first_order_date)) as avg_days_to_first_order
    from customers
    group by 1

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

final as (

    select
        cast(strftime(cohorts.cohort_month, '%Y%m%d') as integer) as date_key,

        cast(cohorts.cohort_size as integer) as cohort_size,
        cast(cohorts.buyer_count as integer) as buyer_count,
        {{ safe_ratio('cohorts.buyer_count', 'cohorts.cohort_size', 4) }} as buyer_rate,
        cast(cohorts.completed_buyer_count as integer) as completed_buyer_count,
        cast(cohorts.repeat_buyer_count as integer) as repeat_buyer_count,
        cast(cohorts.valid_order_count as integer) as valid_order_count,
        cast(cohorts.lifetime_value as decimal(18, 2)) as lifetime_value,
        {{ money_divide('cohorts.lifetime_value', 'cohorts.cohort_size') }} as lifetime_value_per_customer,
        {{ money_divide('cohorts.lifetime_value', 'cohorts.completed_buyer_count') }} as lifetime_value_per_buyer,
        round(cohorts.avg_days_to_first_order, 2) as avg_days_to_first_order,
        retention_milestones.retention_rate_month_1,
        retention_milestones.retention_rate_month_3,
        retention_milestones.retention_rate_month_6,
        retention_milestones.retention_rate_month_12,
        cast(retention_milestones.months_observed as integer) as months_observed,

        cohorts.cohort_month

    from cohorts
    left join retention_milestones
        on cohorts.cohort_month = retention_milestones.cohort_month

)

select * from final
