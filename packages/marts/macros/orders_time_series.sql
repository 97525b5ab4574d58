{#- The body of an orders time-series mart at one grain (`day`, `week` or `month`): one row per
    period from the period of the first order to the period of the reporting as-of date, every
    period present (zero-sale periods come from dim_date). Revenue counts valid orders (not
    cancelled, not returned) at their order_total; orders after the as-of date are left out.

    `period_column` names the period-start column (date_day, week_start_date, month_start_date).
    Year-over-year compares with the period one year earlier: the same date for days and months,
    52 weeks earlier for weeks (so weekdays line up). Year-to-date restarts each calendar year of
    the period start. -#}
{% macro orders_time_series(datepart, period_column) -%}

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

orders as (

    select
        fct_orders.*,
        cast(date_trunc('{{ datepart }}', fct_orders.order_date) as date) as period_start
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where fct_orders.order_date <= as_of.as_of_date

),

first_orders as (

    select
        customer_id,
        cast(date_trunc('{{ datepart }}', min(order_date)) as date) as period_start
    from orders
    group by customer_id

),

bounds as (

    select min(orders.order_date) as first_order_date, as_of.as_of_date
    from orders
    cross join as_of
    group by as_of.as_of_date

),

periods as (

    select
        cast(date_trunc('{{ datepart }}', dim_date.date_day) as date) as period_start,
        count(*) as days_covered
    from {{ ref('dim_date') }} as dim_date
    inner join bounds
        on dim_date.date_day between bounds.first_order_date and bounds.as_of_date
    group by 1

),

orders_by_period as (

    select
        period_start,
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where is_cancelled) as cancelled_order_count,
        count(*) filter (where is_returned) as returned_order_count,
        count(distinct customer_id) filter (where is_valid) as customer_count,
        sum(unit_count) filter (where is_valid) as units_sold,
        sum(order_total) filter (where is_valid) as revenue,
        sum(recognized_revenue) as completed_revenue,
        sum(discount_amount) filter (where is_valid) as discount_amount
    from orders
    group by period_start

),

new_customers_by_period as (

    select period_start, count(*) as new_customer_count
    from first_orders
    group by period_start

),

series as (

    select
        periods.period_start,
        cast(periods.days_covered as integer) as days_covered,
        cast(coalesce(orders_by_period.order_count, 0) as integer) as order_count,
        cast(coalesce(orders_by_period.valid_order_count, 0) as integer) as valid_order_count,
        cast(coalesce(orders_by_period.completed_order_count, 0) as integer) as completed_order_count,
        cast(coalesce(orders_by_period.cancelled_order_count, 0) as integer) as cancelled_order_count,
        cast(coalesce(orders_by_period.returned_order_count, 0) as integer) as returned_order_count,
        cast(coalesce(orders_by_period.customer_count, 0) as integer) as customer_count,
        cast(coalesce(new_customers_by_period.new_customer_count, 0) as integer) as new_customer_count,
        cast(coalesce(orders_by_period.units_sold, 0) as integer) as units_sold,
        cast(coalesce(orders_by_period.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(orders_by_period.completed_revenue, 0) as decimal(18, 2)) as completed_revenue,
        cast(coalesce(orders_by_period.discount_amount, 0) as decimal(18, 2)) as discount_amount
    from periods
    left join orders_by_period
        on periods.period_start = orders_by_period.period_start
    left join new_customers_by_period
        on periods.period_start = new_customers_by_period.period_start

),

with_windows as (

    select
        series.*,
        sum(series.revenue) over year_to_date as ytd_revenue,
        sum(series.valid_order_count) over year_to_date as ytd_valid_order_count,
        lag(series.revenue) over (order by series.period_start) as previous_period_revenue,
        lag(series.valid_order_count) over (order by series.period_start) as previous_period_valid_order_count,
        last_year.revenue as last_year_revenue,
        last_year.valid_order_count as last_year_valid_order_count
    from series
    left join series as last_year
        on last_year.period_start = cast(series.period_start - {{ "interval 364 day" if datepart == 'week' else "interval 1 year" }} as date)
    window year_to_date as (
        partition by year(series.period_start)
        order by series.period_start
        rows between unbounded preceding and current row
    )

),

final as (

    select
        cast(strftime(period_start, '%Y%m%d') as integer) as date_key,

        order_count,
        valid_order_count,
        completed_order_count,
        cancelled_order_count,
        returned_order_count,
        customer_count,
        new_customer_count,
        units_sold,
        revenue,
        completed_revenue,
        discount_amount,
        {{ money_divide('revenue', 'valid_order_count') }} as average_order_value,
        cast(ytd_revenue as decimal(18, 2)) as ytd_revenue,
        cast(ytd_valid_order_count as integer) as ytd_valid_order_count,
        cast(previous_period_revenue as decimal(18, 2)) as previous_period_revenue,
        {{ growth_rate('revenue', 'previous_period_revenue') }} as revenue_growth_rate,
        {{ growth_rate('valid_order_count', 'previous_period_valid_order_count') }} as order_growth_rate,
        cast(last_year_revenue as decimal(18, 2)) as last_year_revenue,
        {{ growth_rate('revenue', 'last_year_revenue') }} as revenue_yoy_growth_rate,
        {{ growth_rate('valid_order_count', 'last_year_valid_order_count') }} as order_yoy_growth_rate,
        days_covered,

        days_covered < date_diff('day', period_start, cast(period_start + interval 1 {{ datepart }} as date)) as is_partial_period,

        period_start as {{ period_column }},
        cast(period_start + interval 1 {{ datepart }} - interval 1 day as date) as period_end_date

    from with_windows

)

select * from final

{%- endmacro %}
