with

order_history as (
    select * from {{ ref('int_customer_order_history') }}
),

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

orders_by_day as (
    select
        orders.order_date,
        count(*) as order_count,
        count(*) filter (where orders.is_valid) as valid_order_count,
        count(*) filter (where orders.is_completed) as completed_order_count,
        count(*) filter (where orders.is_cancelled) as cancelled_order_count,
        count(*) filter (where orders.is_returned) as returned_order_count,
        count(distinct orders.customer_id) filter (where orders.is_valid) as customer_count,
        count(*) filter (where order_history.is_first_order) as new_customer_count,
        coalesce(sum(orders.subtotal) filter (where orders.is_valid), 0) as subtotal,
        coalesce(sum(orders.shipping_amount) filter (where orders.is_valid), 0) as shipping_amount,
        coalesce(sum(orders.tax_amount) filter (where orders.is_valid), 0) as tax_amount,
        coalesce(sum(orders.order_total) filter (where orders.is_valid), 0) as revenue,
        coalesce(sum(orders.order_total) filter (where orders.is_completed), 0) as completed_revenue
    from orders
    inner join order_history
        on orders.order_id = order_history.order_id
    group by orders.order_date
),

items_by_day as (
    select
        order_date,
        sum(quantity) as units_sold,
        sum(discount_amount) as discount_amount
    from order_items
    where is_valid
    group by order_date
),

final as (
    select
        -- dates
        orders_by_day.order_date,

        -- numerics
        orders_by_day.order_count,
        orders_by_day.valid_order_count,
        orders_by_day.completed_order_count,
        orders_by_day.cancelled_order_count,
        orders_by_day.returned_order_count,
        orders_by_day.customer_count,
        orders_by_day.new_customer_count,
        coalesce(items_by_day.units_sold, 0) as units_sold,
        cast(orders_by_day.subtotal as decimal(18, 2)) as subtotal,
        cast(coalesce(items_by_day.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(orders_by_day.shipping_amount as decimal(18, 2)) as shipping_amount,
        cast(orders_by_day.tax_amount as decimal(18, 2)) as tax_amount,
        cast(orders_by_day.revenue as decimal(18, 2)) as revenue,
        cast(orders_by_day.completed_revenue as decimal(18, 2)) as completed_revenue,
        cast(
            {{ safe_divide('orders_by_day.revenue', 'orders_by_day.valid_order_count') }}
            as decimal(18, 2)
        ) as average_order_value

    from orders_by_day
    left join items_by_day
        on orders_by_day.order_date = items_by_day.order_date
)

select * from final
