{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='order_id',
        on_schema_change='append_new_columns',
        post_hook=["analyze {{ this }}"]
    )
}}

-- One row per order. Incremental because orders are the second-largest table and grow every
-- day, while only recent orders still change: each run re-reads the orders updated within the
-- last `lookback_days` days of what the table holds (status moves, late loads) and merges them
-- on order_id. The post-hook refreshes the table statistics the dashboards' joins rely on.

with orders as (

    select * from {{ ref('staging', 'stg_ecommerce__orders') }}
    -- var start_date: the first order date the facts hold (002 §7).
    where order_date >= cast('{{ var("start_date") }}' as date)
    {% if is_incremental() %}
        and (
            updated_at >= (select max(updated_at) - interval '{{ var('lookback_days', 3) }} day' from {{ this }})
            or loaded_at >= (select max(loaded_at) - interval '{{ var('lookback_days', 3) }} day' from {{ this }})
        )
    {% endif %}

),

order_lines as (

    select
        order_id,
        count(*) as line_count,
        sum(quantity) as unit_count,
        sum(gross_amount) as gross_amount,
        sum(discount_amount) as discount_amount,
        sum(cost_amount) as cost_amount
    from {{ ref('fct_order_items') }}
    group by order_id

),

payments as (

    select
        order_id,
        sum(amount) as paid_amount,
        min(paid_at) as first_paid_at
    from {{ ref('staging', 'stg_ecommerce__payments') }}
    group by order_id

),

refunds as (

    select
        order_id,
        sum(amount) as refunded_amount,
        min(refunded_at) as first_refunded_at
    from {{ ref('staging', 'stg_ecommerce__refunds') }}
    group by order_id

),

customer_versions as (

    select customer_id, customer_version_key, valid_from
    from {{ ref('dim_customers_history') }}

),

-- The customer version in force when the order was placed: the latest version starting at or
-- before the order (versions are contiguous, so it has not ended yet). An order older than every
-- version (possible only if the source back-dates a signup) falls back to the first version.
-- An equi-join plus "the last / first key by valid_from" (staging's last_by / first_by) rather
-- than a range join with an OR, which DuckDB plans as a nested loop (seconds instead of
-- milliseconds at 50k orders). A customer's versions never share a valid_from
-- (mutually_exclusive_ranges on dim_customers_history); the key after it makes that explicit.
order_customer_version as (

    select
        orders.order_id,
        coalesce(
            {{ last_by(
                'customer_versions.customer_version_key',
                ['customer_versions.valid_from', 'customer_versions.customer_version_key'],
                filter='customer_versions.valid_from <= orders.ordered_at'
            ) }},
            {{ first_by(
                'customer_versions.customer_version_key',
                ['customer_versions.valid_from', 'customer_versions.customer_version_key']
            ) }}
        ) as customer_version_key
    from orders
    left join customer_versions
        on orders.customer_id = customer_versions.customer_id
    group by orders.order_id

),

campaigns as (

    select * from {{ ref('dim_campaigns') }}

),

final as (

    select
        orders.order_id,
        {{ generate_surrogate_key(['orders.customer_id']) }} as customer_key,
        order_customer_version.customer_version_key,
        orders.customer_id,
        {{ date_key('orders.order_date') }} as date_key,
        orders.campaign_id,

        orders.status,
        orders.coupon_code,
        campaigns.channel as campaign_channel,

        cast(coalesce(order_lines.line_count, 0) as integer) as line_count,
        cast(coalesce(order_lines.unit_count, 0) as integer) as unit_count,
        cast(coalesce(order_lines.gross_amount, 0) as decimal(18, 2)) as gross_amount,
        cast(coalesce(order_lines.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        orders.subtotal,
        orders.shipping_amount,
        orders.tax_amount,
        orders.order_total,
        cast(case when orders.is_completed then orders.order_total else 0 end as decimal(18, 2)) as recognized_revenue,
        -- Revenue incl. tax (FR-014) through the one macro that computes it: merchandise + tax + shipping.
        case
            when orders.is_valid then {{ revenue_with_tax('orders.subtotal', tax_amount='orders.tax_amount', shipping_amount='orders.shipping_amount') }}
            else cast(0 as decimal(18, 2))
        end as gross_order_value,
        cast(coalesce(order_lines.cost_amount, 0) as decimal(18, 2)) as cost_amount,
        cast(orders.subtotal - coalesce(order_lines.cost_amount, 0) as decimal(18, 2)) as gross_profit,
        cast(coalesce(payments.paid_amount, 0) as decimal(18, 2)) as paid_amount,
        cast(coalesce(refunds.refunded_amount, 0) as decimal(18, 2)) as refunded_amount,
        {{ round_double(seconds_between('orders.ordered_at', 'orders.shipped_at') ~ ' / cast(3600 as double precision)', 2) }} as hours_to_ship,
        {{ round_double(seconds_between('orders.shipped_at', 'orders.delivered_at') ~ ' / cast(3600 as double precision)', 2) }} as hours_in_transit,
        {{ round_double(seconds_between('orders.ordered_at', 'orders.delivered_at') ~ ' / cast(86400 as double precision)', 2) }} as days_to_deliver,

        orders.is_completed,
        orders.is_cancelled,
        orders.is_returned,
        orders.is_valid,
        orders.has_coupon,
        orders.campaign_id is not null as has_campaign,
        refunds.order_id is not null as has_refund,

        orders.order_date,

        orders.ordered_at,
        payments.first_paid_at,
        orders.shipped_at,
        orders.delivered_at,
        refunds.first_refunded_at,
        orders.updated_at,
        orders.loaded_at,
        {{ run_timestamp() }} as dbt_updated_at

    from orders
    inner join order_customer_version
        on orders.order_id = order_customer_version.order_id
    left join order_lines
        on orders.order_id = order_lines.order_id
    left join payments
        on orders.order_id = payments.order_id
    left join refunds
        on orders.order_id = refunds.order_id
    left join campaigns
        on orders.campaign_id = campaigns.campaign_id

)

select * from final
