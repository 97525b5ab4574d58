{{ config(materialized='table') }}

-- One row per order date × marketing channel with at least one valid order, from var
-- start_date (when set) to the reporting as-of date: the day's sales split by the channel of
-- the campaign each order is tagged with (the orders' own attribution field), `direct` for an
-- order without a campaign (direct / organic traffic; the `direct` channel's campaigns land
-- there too, told apart by campaign_order_count). The channels of a day add up to the day's
-- orders and revenue in orders_daily.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

orders as (

    select
        fct_orders.order_date,
        coalesce(fct_orders.campaign_channel, 'direct') as marketing_channel,
        fct_orders.campaign_id,
        fct_orders.customer_id,
        fct_orders.subtotal,
        fct_orders.order_total
    from {{ ref('fct_orders') }} as fct_orders
    cross join as_of
    where fct_orders.is_valid
        and fct_orders.order_date <= as_of.as_of_date
        {%- if var('start_date', none) %}
        and fct_orders.order_date >= cast('{{ var("start_date") }}' as date)
        {%- endif %}

),

orders_by_day_and_channel as (

    select
        order_date,
        marketing_channel,
        count(*) as total_orders,
        count(campaign_id) as campaign_order_count,
        count(distinct customer_id) as customer_count,
        sum(subtotal) as total_revenue,
        sum(order_total) as gross_order_value
    from orders
    group by order_date, marketing_channel

),

final as (

    select
        {{ generate_surrogate_key(['order_date', 'marketing_channel']) }} as channel_day_key,
        {{ date_key('order_date') }} as date_key,

        marketing_channel,

        cast(total_orders as integer) as total_orders,
        cast(campaign_order_count as integer) as campaign_order_count,
        cast(customer_count as integer) as customer_count,
        cast(total_revenue as decimal(18, 2)) as total_revenue,
        cast(gross_order_value as decimal(18, 2)) as gross_order_value,
        {{ money_divide('total_revenue', 'total_orders') }} as avg_order_value,
        {{ safe_ratio('total_revenue', 'sum(total_revenue) over (partition by order_date)', 4) }} as revenue_share,

        order_date

    from orders_by_day_and_channel

)

select * from final
