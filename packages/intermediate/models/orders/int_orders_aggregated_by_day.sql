with

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

orders_by_day as (
    select
        order_date,
        count(*) as order_count,
        count(*) filter (where is_valid) as valid_order_count,
        count(*) filter (where is_completed) as completed_order_count,
        count(*) filter (where is_cancelled) as cancelled_order_count,
        count(*) filter (where is_returned) as returned_order_count,
        count(distinct customer_id) filter (where is_valid) as customer_count,
        coalesce(sum(shipping_amount) filter (where is_valid), 0) as shipping_amount,
        coalesce(sum(tax_amount) filter (where is_valid), 0) as tax_amount,
        coalesce(sum(order_total) filter (where is_valid), 0) as gross_order_value
    from orders
    group by order_date
),

-- A customer is new on the date of their first order, whatever its status.
new_customers_by_day as (
    select
        first_order_date as order_date,
        count(*) as new_customer_count
    from (
        select
            customer_id,
            min(order_date) as first_order_date
        from orders
        group by customer_id
    ) as first_orders
    group by first_order_date
),

-- Net merchandise revenue and cost of goods come from the lines (line totals after discounts,
-- excluding shipping and tax), the money terms every mart shares.
items_by_day as (
    select
        order_date,
        sum(quantity) filter (where is_valid) as units_sold,
        sum(discount_amount) filter (where is_valid) as discount_amount,
        sum(line_total) filter (where is_valid) as revenue,
        sum(cost_amount) filter (where is_valid) as cost_of_goods,
        sum(line_total) filter (where is_completed) as completed_revenue
    from order_items
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
        coalesce(new_customers_by_day.new_customer_count, 0) as new_customer_count,
        coalesce(items_by_day.units_sold, 0) as units_sold,
        cast(coalesce(items_by_day.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(items_by_day.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(orders_by_day.shipping_amount as decimal(18, 2)) as shipping_amount,
        cast(orders_by_day.tax_amount as decimal(18, 2)) as tax_amount,
        cast(orders_by_day.gross_order_value as decimal(18, 2)) as gross_order_value,
        cast(coalesce(items_by_day.cost_of_goods, 0) as decimal(18, 2)) as cost_of_goods,
        cast(coalesce(items_by_day.revenue, 0) - coalesce(items_by_day.cost_of_goods, 0) as decimal(18, 2)) as gross_profit,
        cast(coalesce(items_by_day.completed_revenue, 0) as decimal(18, 2)) as completed_revenue,
        {{ money_divide('coalesce(items_by_day.revenue, 0)', 'orders_by_day.valid_order_count') }} as average_order_value

    from orders_by_day
    left join new_customers_by_day
        on orders_by_day.order_date = new_customers_by_day.order_date
    left join items_by_day
        on orders_by_day.order_date = items_by_day.order_date
)

select * from final
