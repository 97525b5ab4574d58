{{ config(materialized='table') }}

-- One row per calendar day, from the week of 1 January of the year of the earliest transaction to
-- 31 December of the year of the latest one, so every order, shipment, delivery, payment,
-- refund, signup, touch, web event and campaign day has a row and years are complete.

with transaction_dates as (

    select min(order_date) as first_date, max(order_date) as last_date
    from {{ ref('staging', 'stg_ecommerce__orders') }}
    union all
    select min(cast(least(shipped_at, delivered_at) as date)), max(cast(greatest(shipped_at, delivered_at) as date))
    from {{ ref('staging', 'stg_ecommerce__orders') }}
    union all
    select min(signup_date), max(signup_date)
    from {{ ref('staging', 'stg_ecommerce__customers') }}
    union all
    select min(cast(paid_at as date)), max(cast(paid_at as date))
    from {{ ref('staging', 'stg_ecommerce__payments') }}
    union all
    select min(cast(refunded_at as date)), max(cast(refunded_at as date))
    from {{ ref('staging', 'stg_ecommerce__refunds') }}
    union all
    select min(cast(touched_at as date)), max(cast(touched_at as date))
    from {{ ref('staging', 'stg_ecommerce__marketing_touches') }}
    union all
    select min(cast(occurred_at as date)), max(cast(occurred_at as date))
    from {{ ref('staging', 'stg_ecommerce__web_events') }}
    union all
    select min(start_date), max(end_date)
    from {{ ref('staging', 'stg_seeds__campaigns') }}

),

bounds as (

    select
        -- back to the Monday of the week holding 1 January, so weekly series keyed on their week
        -- start always find their day here
        cast(date_trunc('week', date_trunc('year', min(first_date))) as date) as spine_start,
        cast(date_trunc('year', max(last_date)) + interval '1 year' - interval '1 day' as date) as spine_end
    from transaction_dates

),

-- The project's date-spine macro (staging's day_spine, both ends included; T019/T054).
spine as (

    {{ day_spine('(select spine_start from bounds)', '(select spine_end from bounds)') }}

),

final as (

    select
        {{ date_key('date_day') }} as date_key,

        {{ day_name('date_day') }} as day_name,
        {{ month_name('date_day') }} as month_name,
        {{ us_holiday_name('date_day') }} as us_holiday_name,

        cast(extract(isodow from date_day) as integer) as day_of_week,
        cast(extract(day from date_day) as integer) as day_of_month,
        cast(extract(doy from date_day) as integer) as day_of_year,
        cast(extract(week from date_day) as integer) as iso_week_of_year,
        cast(extract(isoyear from date_day) as integer) as iso_year,
        cast(extract(month from date_day) as integer) as month_of_year,
        cast(extract(quarter from date_day) as integer) as quarter_of_year,
        cast(extract(year from date_day) as integer) as year_number,
        {{ fiscal_year('date_day') }} as fiscal_year,
        {{ fiscal_quarter('date_day') }} as fiscal_quarter,
        {{ fiscal_month('date_day') }} as fiscal_month,

        extract(isodow from date_day) in (6, 7) as is_weekend,
        {{ us_holiday_name('date_day') }} is not null as is_us_holiday,
        extract(isodow from date_day) not in (6, 7) and {{ us_holiday_name('date_day') }} is null as is_business_day,
        date_day = cast(date_trunc('month', date_day) + interval '1 month' - interval '1 day' as date) as is_month_end,

        date_day,
        cast(date_trunc('week', date_day) as date) as week_start_date,
        cast(date_trunc('month', date_day) as date) as month_start_date,
        cast(date_trunc('quarter', date_day) as date) as quarter_start_date,
        cast(date_trunc('year', date_day) as date) as year_start_date,
        cast(date_day - interval '1 year' as date) as same_day_last_year

    from spine

)

select * from final
