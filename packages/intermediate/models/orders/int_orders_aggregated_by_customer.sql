with

customers as (
    select * from {{ ref('stg_ecommerce__customers') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

-- A scalar subquery, not `from orders`: with the var set, the CTE must still be one row.
as_of as (
    select {{ as_of_date('(select max(order_date) from orders)') }} as as_of_date
),

orders_by_customer as (
    select
        customer_id,
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where is_cancelled) as cancelled_order_count,
        count(*) filter (where is_returned) as returned_order_count,
        coalesce(sum(order_total) filter (where is_completed), 0) as lifetime_value,
        coalesce(sum(order_total) filter (where is_valid), 0) as valid_order_total,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        min(order_date) filter (where is_completed) as first_completed_order_date,
        max(order_date) filter (where is_completed) as last_completed_order_date,
        min(ordered_at) as first_ordered_at,
        max(ordered_at) as last_ordered_at
    from orders
    group by customer_id
),

final as (
    select
        -- ids
        customers.customer_id,

        -- numerics
        coalesce(orders_by_customer.order_count, 0) as order_count,
        coalesce(orders_by_customer.valid_order_count, 0) as valid_order_count,
        coalesce(orders_by_customer.completed_order_count, 0) as completed_order_count,
        coalesce(orders_by_customer.cancelled_order_count, 0) as cancelled_order_count,
        coalesce(orders_by_customer.returned_order_count, 0) as returned_order_count,
        cast(coalesce(orders_by_customer.lifetime_value, 0) as decimal(18, 2)) as lifetime_value,
        cast(coalesce(orders_by_customer.valid_order_total, 0) as decimal(18, 2)) as valid_order_total,
        {{ money_divide('orders_by_customer.lifetime_value', 'orders_by_customer.completed_order_count') }} as average_order_value,
        {{ days_between('orders_by_customer.first_order_date', 'as_of.as_of_date') }} as days_since_first_order,
        {{ days_between('orders_by_customer.last_order_date', 'as_of.as_of_date') }} as days_since_last_order,
        {{ days_between('orders_by_customer.last_completed_order_date', 'as_of.as_of_date') }} as days_since_last_completed_order,

        -- booleans
        coalesce(orders_by_customer.order_count, 0) > 0 as has_ordered,
        coalesce(orders_by_customer.completed_order_count, 0) >= 2 as is_repeat_customer,

        -- dates
        orders_by_customer.first_order_date,
        orders_by_customer.last_order_date,
        orders_by_customer.first_completed_order_date,
        orders_by_customer.last_completed_order_date,
        as_of.as_of_date,

        -- timestamps
        orders_by_customer.first_ordered_at,
        orders_by_customer.last_ordered_at

    from customers
    cross join as_of
    left join orders_by_customer
        on customers.customer_id = orders_by_customer.customer_id
)

select * from final
