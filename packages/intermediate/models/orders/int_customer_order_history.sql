with

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

sequenced as (
    select
        *,
        row_number() over customer_orders as customer_order_number,
        count(*) over (partition by customer_id) as customer_order_count,
        lag(order_date) over customer_orders as previous_order_date,
        min(order_date) over (partition by customer_id) as first_order_date,
        count(*) filter (where is_completed) over customer_orders as running_completed_order_count,
        coalesce(sum(order_total) filter (where is_completed) over customer_orders, 0) as running_completed_revenue
    from orders
    window customer_orders as (
        partition by customer_id
        order by ordered_at, order_id
        rows between unbounded preceding and current row
    )
),

final as (
    select
        -- ids
        order_id,
        customer_id,

        -- strings
        status,

        -- numerics
        order_total,
        customer_order_number,
        customer_order_count,
        case when is_completed then running_completed_order_count end as completed_order_number,
        running_completed_order_count,
        cast(running_completed_revenue as decimal(18, 2)) as running_completed_revenue,
        -- Average completed order value as it stood after this order; null before the first one.
        {{ money_divide('running_completed_revenue', 'running_completed_order_count') }} as running_average_order_value,
        {{ days_between('previous_order_date', 'order_date') }} as days_since_previous_order,
        {{ days_between('first_order_date', 'order_date') }} as days_since_first_order,
        {{ months_between('first_order_date', 'order_date') }} as months_since_first_order,

        -- booleans
        customer_order_number = 1 as is_first_order,
        customer_order_number > 1 as is_repeat_order,
        customer_order_number = customer_order_count as is_latest_order,
        is_completed,
        is_cancelled,
        is_returned,
        is_valid,

        -- dates
        order_date,
        first_order_date,
        previous_order_date,

        -- timestamps
        ordered_at

    from sequenced
)

select * from final
