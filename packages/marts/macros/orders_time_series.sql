{#- The body of an orders time-series mart at one grain (`day`, `week` or `month`): one row per
    period from the period holding the series' first day to the period of the reporting as-of
    date, every period present (zero-sale periods come from dim_date). The series' first day is
    the later of var('start_date') and the first order date; orders after the as-of date are left
    out. Money follows the shared terms (models/_money__docs.md): total_revenue is net merchandise
    revenue of valid orders, gross_order_value what they were charged, gross_profit revenue −
    cost of goods. Daily amounts come from int_orders_aggregated_by_day.

    `period_column` names the period-start column (date_day, week_start_date, month_start_date),
    `end_column` the period-end column (none for days), `growth_prefix` the period-over-period
    growth name (dod, wow, mom). Year-over-year compares with the period one year earlier: the
    same date for days and months, 52 weeks earlier for weeks (so weekdays line up).
    Year-to-date is calendar year-to-date as of the period's last day inside the calendar year of
    its first day, so it agrees across grains on every year's last period. Growth is null when
    either period is incomplete. -#}
{% macro orders_time_series(datepart, period_column, end_column=none, growth_prefix='pop') -%}

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

orders_by_day as (

    select * from {{ ref('intermediate', 'int_orders_aggregated_by_day') }}

),

bounds as (

    select
        greatest(
            cast('{{ var("start_date") }}' as date),
            (select min(order_date) from orders_by_day)
        ) as first_date,
        as_of.as_of_date as last_date
    from as_of

),

days as (

    select
        dim_date.date_day,
        cast(date_trunc('{{ datepart }}', dim_date.date_day) as date) as period_start
    from {{ ref('dim_date') }} as dim_date
    inner join bounds
        on dim_date.date_day between bounds.first_date and bounds.last_date

),

daily as (

    select
        days.date_day,
        days.period_start,
        coalesce(orders_by_day.order_count, 0) as order_count,
        coalesce(orders_by_day.valid_order_count, 0) as valid_order_count,
        coalesce(orders_by_day.completed_order_count, 0) as completed_order_count,
        coalesce(orders_by_day.cancelled_order_count, 0) as cancelled_order_count,
        coalesce(orders_by_day.returned_order_count, 0) as returned_order_count,
        coalesce(orders_by_day.new_customer_count, 0) as new_customer_count,
        coalesce(orders_by_day.units_sold, 0) as units_sold,
        coalesce(orders_by_day.revenue, 0) as revenue,
        coalesce(orders_by_day.gross_order_value, 0) as gross_order_value,
        coalesce(orders_by_day.cost_of_goods, 0) as cost_of_goods,
        coalesce(orders_by_day.gross_profit, 0) as gross_profit,
        coalesce(orders_by_day.completed_revenue, 0) as completed_revenue,
        coalesce(orders_by_day.discount_amount, 0) as discount_amount
    from days
    left join orders_by_day
        on days.date_day = orders_by_day.order_date

),

-- Calendar year-to-date on every day of the series.
daily_ytd as (

    select
        date_day,
        sum(revenue) over year_to_date as ytd_revenue,
        sum(valid_order_count) over year_to_date as ytd_valid_order_count
    from daily
    window year_to_date as (
        partition by extract(year from date_day)
        order by date_day
        rows between unbounded preceding and current row
    )

),

-- Distinct customers do not add up over days, so they are counted per period from the orders.
customers_by_period as (

    select
        cast(date_trunc('{{ datepart }}', orders.order_date) as date) as period_start,
        count(distinct orders.customer_id) as customer_count
    from {{ ref('staging', 'stg_ecommerce__orders') }} as orders
    inner join bounds
        on orders.order_date between bounds.first_date and bounds.last_date
    where orders.is_valid
    group by 1

),

periods as (

    select
        period_start,
        count(*) as days_covered,
        max(date_day) as last_covered_day,
        sum(order_count) as order_count,
        sum(valid_order_count) as valid_order_count,
        sum(completed_order_count) as completed_order_count,
        sum(cancelled_order_count) as cancelled_order_count,
        sum(returned_order_count) as returned_order_count,
        sum(new_customer_count) as new_customer_count,
        sum(units_sold) as units_sold,
        sum(revenue) as revenue,
        sum(gross_order_value) as gross_order_value,
        sum(cost_of_goods) as cost_of_goods,
        sum(gross_profit) as gross_profit,
        sum(completed_revenue) as completed_revenue,
        sum(discount_amount) as discount_amount
    from daily
    group by period_start

),

-- A week that straddles New Year reads year-to-date on 31 December of its first day's year; a
-- period with no day of that year inside the series (possible only for the first week) has 0.
series as (

    select
        periods.*,
        coalesce(customers_by_period.customer_count, 0) as customer_count,
        coalesce(daily_ytd.ytd_revenue, 0) as ytd_revenue,
        coalesce(daily_ytd.ytd_valid_order_count, 0) as ytd_valid_order_count,
        periods.days_covered = {{ days_between('periods.period_start', "periods.period_start + interval '1 " ~ datepart ~ "'") }} as is_complete_period
    from periods
    left join customers_by_period
        on periods.period_start = customers_by_period.period_start
    left join daily_ytd
        on daily_ytd.date_day = least(periods.last_covered_day, cast(date_trunc('year', periods.period_start) + interval '1 year' - interval '1 day' as date))

),

with_comparisons as (

    select
        series.*,
        lag(series.revenue) over by_period as previous_period_revenue,
        lag(series.valid_order_count) over by_period as previous_period_valid_order_count,
        coalesce(lag(series.is_complete_period) over by_period, false) as is_previous_period_complete,
        last_year.revenue as last_year_revenue,
        last_year.valid_order_count as last_year_valid_order_count,
        coalesce(last_year.is_complete_period, false) as is_last_year_complete
    from series
    left join series as last_year
        on last_year.period_start = cast(series.period_start - {{ "interval '364 day'" if datepart == 'week' else "interval '1 year'" }} as date)
    window by_period as (order by series.period_start)

),

final as (

    select
        {{ date_key('period_start') }} as date_key,

        {%- if datepart == 'month' %}
        {{ month_name('period_start') }} as month_name,
        {%- endif %}

        cast(order_count as integer) as order_count,
        cast(valid_order_count as integer) as total_orders,
        cast(completed_order_count as integer) as completed_order_count,
        cast(cancelled_order_count as integer) as cancelled_order_count,
        cast(returned_order_count as integer) as returned_order_count,
        cast(customer_count as integer) as unique_customers,
        cast(new_customer_count as integer) as new_customer_count,
        cast(units_sold as integer) as total_units,
        cast(revenue as decimal(18, 2)) as total_revenue,
        cast(gross_order_value as decimal(18, 2)) as gross_order_value,
        cast(cost_of_goods as decimal(18, 2)) as cost_of_goods,
        cast(gross_profit as decimal(18, 2)) as gross_profit,
        cast(completed_revenue as decimal(18, 2)) as completed_revenue,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        {{ money_divide('revenue', 'valid_order_count') }} as average_order_value,
        cast(ytd_revenue as decimal(18, 2)) as cumulative_revenue_ytd,
        cast(ytd_valid_order_count as integer) as cumulative_orders_ytd,
        cast(previous_period_revenue as decimal(18, 2)) as previous_period_revenue,
        {{ growth_pct('revenue', 'previous_period_revenue', 'is_complete_period and is_previous_period_complete') }} as {{ growth_prefix }}_growth_pct,
        {{ growth_pct('valid_order_count', 'previous_period_valid_order_count', 'is_complete_period and is_previous_period_complete') }} as orders_{{ growth_prefix }}_growth_pct,
        cast(last_year_revenue as decimal(18, 2)) as last_year_revenue,
        {{ growth_pct('revenue', 'last_year_revenue', 'is_complete_period and is_last_year_complete') }} as yoy_growth_pct,
        {{ growth_pct('valid_order_count', 'last_year_valid_order_count', 'is_complete_period and is_last_year_complete') }} as orders_yoy_growth_pct,
        cast(days_covered as integer) as days_covered,
        cast(extract(year from period_start) as integer) as year,
        {%- if datepart == 'week' %}
        cast(extract(isoyear from period_start) as integer) as iso_year,
        cast(extract(week from period_start) as integer) as week_number,
        {%- elif datepart == 'month' %}
        cast(extract(month from period_start) as integer) as month,
        {%- endif %}

        is_complete_period,

        period_start as {{ period_column }}
        {%- if end_column is not none %},
        cast(period_start + interval '1 {{ datepart }}' - interval '1 day' as date) as {{ end_column }}
        {%- endif %}

    from with_comparisons

)

select * from final

{%- endmacro %}
