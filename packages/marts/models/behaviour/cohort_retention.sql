{{ config(materialized='table') }}

-- One row per signup cohort (calendar month of signup) × months since signup, from the cohort
-- month up to the month of the reporting as-of date: how many of the cohort placed a valid
-- order in that month (retention) and the revenue (net merchandise revenue) they brought. A cohort whose signup month
-- began before the order history does (the first order date in fct_orders) is flagged
-- is_before_order_history: its early orders are unknown, so its retention is null, not 0.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

order_history as (

    select min(order_date) as order_history_start_date
    from {{ ref('fct_orders') }}

),

customers as (

    select
        customer_id,
        cast(date_trunc('month', signup_date) as date) as cohort_month
    from {{ ref('dim_customers') }}

),

cohorts as (

    select cohort_month, count(*) as cohort_size
    from customers
    group by cohort_month

),

cohort_periods as (

    select
        cohorts.cohort_month,
        cohorts.cohort_size,
        cast(offsets.months_since_signup as integer) as months_since_signup,
        coalesce(cohorts.cohort_month < order_history.order_history_start_date, false) as is_before_order_history
    from cohorts
    cross join as_of
    cross join order_history
    cross join lateral generate_series(0, {{ months_between('cohorts.cohort_month', 'as_of.as_of_date') }}) as offsets (months_since_signup)

),

-- An order placed before its customer's signup (a source clock skew) counts in month 0.
orders as (

    select
        customers.cohort_month,
        fct_orders.customer_id,
        fct_orders.subtotal,
        greatest(0, {{ months_between('customers.cohort_month', 'fct_orders.order_date') }}) as months_since_signup
    from {{ ref('fct_orders') }} as fct_orders
    inner join customers
        on fct_orders.customer_id = customers.customer_id
    cross join as_of
    where fct_orders.is_valid
        and fct_orders.order_date <= as_of.as_of_date

),

activity as (

    select
        cohort_month,
        months_since_signup,
        count(distinct customer_id) as active_customer_count,
        count(*) as valid_order_count,
        sum(subtotal) as revenue
    from orders
    group by cohort_month, months_since_signup

),

final as (

    select
        {{ generate_surrogate_key(['cohort_periods.cohort_month', 'cohort_periods.months_since_signup']) }} as cohort_period_key,

        cohort_periods.months_since_signup,
        cast(cohort_periods.cohort_size as integer) as cohort_size,
        cast(coalesce(activity.active_customer_count, 0) as integer) as active_customer_count,
        case
            when not cohort_periods.is_before_order_history
                then {{ safe_ratio('coalesce(activity.active_customer_count, 0)', 'cohort_periods.cohort_size', 4) }}
        end as retention_rate,
        cast(coalesce(activity.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(activity.revenue, 0) as decimal(18, 2)) as revenue,
        cast(sum(coalesce(activity.revenue, 0)) over (
            partition by cohort_periods.cohort_month
            order by cohort_periods.months_since_signup
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as cumulative_revenue,
        {{ money_divide(
            'sum(coalesce(activity.revenue, 0)) over (partition by cohort_periods.cohort_month order by cohort_periods.months_since_signup rows between unbounded preceding and current row)',
            'cohort_periods.cohort_size') }} as cumulative_revenue_per_customer,

        cohort_periods.is_before_order_history,

        cohort_periods.cohort_month,
        cast(cohort_periods.cohort_month + cohort_periods.months_since_signup * interval '1 month' as date) as activity_month

    from cohort_periods
    left join activity
        on cohort_periods.cohort_month = activity.cohort_month
        and cohort_periods.months_since_signup = activity.months_since_signup

)

select * from final
