{{ config(materialized='table') }}

-- One row per order month × product category: how long orders holding that category took from
-- placement to shipping and from shipping to delivery. An order with lines in two categories
-- counts once in each. Cancelled orders never ship and only appear in order_count. Orders placed
-- from var('start_date') to the reporting as-of date, the KPI window of the time series.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

orders as (

    select fct_orders.*
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where fct_orders.order_date >= cast('{{ var("start_date") }}' as date)
        and fct_orders.order_date <= as_of.as_of_date

),

order_categories as (

    select distinct order_id, category_name
    from {{ ref('fct_order_items') }}

),

categories as (

    select distinct category_id, category_name
    from {{ ref('staging', 'stg_seeds__product_categories') }}

),

final as (

    select
        {{ generate_surrogate_key(["cast(date_trunc('month', orders.order_date) as date)", 'order_categories.category_name']) }} as fulfilment_period_key,
        categories.category_id,

        order_categories.category_name,

        cast(count(*) as integer) as order_count,
        cast(count(orders.shipped_at) as integer) as shipped_order_count,
        cast(count(orders.delivered_at) as integer) as delivered_order_count,
        -- averages over exact decimals: a sum of doubles depends on the order rows arrive in, and a
        -- mean on a half-hundredth then rounds either way from one build to the next
        round(avg(cast(orders.hours_to_ship as decimal(18, 2))), 2) as avg_hours_to_ship,
        {{ round_double('percentile_cont(0.5) within group (order by orders.hours_to_ship)', 2) }} as median_hours_to_ship,
        {{ round_double('percentile_cont(0.9) within group (order by orders.hours_to_ship)', 2) }} as p90_hours_to_ship,
        round(avg(cast(orders.hours_in_transit as decimal(18, 2))), 2) as avg_hours_in_transit,
        {{ round_double('percentile_cont(0.5) within group (order by orders.hours_in_transit)', 2) }} as median_hours_in_transit,
        {{ round_double('percentile_cont(0.9) within group (order by orders.hours_in_transit)', 2) }} as p90_hours_in_transit,
        round(avg(cast(orders.days_to_deliver as decimal(18, 2))), 2) as avg_days_to_deliver,

        cast(date_trunc('month', orders.order_date) as date) as order_month

    from orders
    inner join order_categories
        on orders.order_id = order_categories.order_id
    left join categories
        on order_categories.category_name = categories.category_name
    group by cast(date_trunc('month', orders.order_date) as date), categories.category_id, order_categories.category_name

)

select * from final
