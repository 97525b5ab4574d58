{%- set min_order_amount = var('min_order_amount', 0.01) -%}

with

customers as (
    select * from {{ ref('stg_ecommerce__customers') }}
),

-- The orders a customer's purchase figures count: valid orders (not cancelled, not returned)
-- whose order total reaches 004's min_order_amount.
counted_orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
    where is_valid
        and order_total >= {{ min_order_amount }}
),

counted_lines as (
    select
        counted_orders.customer_id,
        order_items.category_name
    from {{ ref('int_order_items_enriched') }} as order_items
    inner join counted_orders
        on order_items.order_id = counted_orders.order_id
),

counted_payments as (
    select
        counted_orders.customer_id,
        payments.order_id,
        payments.payment_method
    from {{ ref('stg_ecommerce__payments') }} as payments
    inner join counted_orders
        on payments.order_id = counted_orders.order_id
),

orders_by_customer as (
    select
        customer_id,
        count(*) as total_orders,
        sum(subtotal) as total_revenue,
        min(subtotal) as min_order_value,
        max(subtotal) as max_order_value
    from counted_orders
    group by customer_id
),

lines_by_category as (
    select
        customer_id,
        category_name,
        count(*) as line_count
    from counted_lines
    group by customer_id, category_name
),

-- The category bought on the most order lines; a tie goes to the first name alphabetically.
categories_by_customer as (
    select
        customer_id,
        count(*) as unique_product_categories,
        {{ first_by('category_name', ['-line_count', 'category_name']) }} as preferred_product_category
    from lines_by_category
    group by customer_id
),

orders_by_payment_method as (
    select
        customer_id,
        payment_method,
        count(distinct order_id) as order_count
    from counted_payments
    group by customer_id, payment_method
),

-- The method that paid for the most orders; a tie goes to the first name alphabetically.
payment_methods_by_customer as (
    select
        customer_id,
        count(*) as unique_payment_methods,
        {{ first_by('payment_method', ['-order_count', 'payment_method']) }} as preferred_payment_method
    from orders_by_payment_method
    group by customer_id
),

final as (
    select
        -- ids
        customers.customer_id,

        -- strings
        categories_by_customer.preferred_product_category,
        payment_methods_by_customer.preferred_payment_method,
        case
            when coalesce(orders_by_customer.total_orders, 0) = 0 then 'non_buyer'
            when orders_by_customer.total_orders = 1 then 'one_time_buyer'
            when orders_by_customer.total_orders <= 5 then 'repeat_buyer'
            else 'loyal_buyer'
        end as buyer_segment,

        -- numerics
        coalesce(orders_by_customer.total_orders, 0) as total_orders,
        cast(coalesce(orders_by_customer.total_revenue, 0) as decimal(18, 2)) as total_revenue,
        {{ money_divide('orders_by_customer.total_revenue', 'orders_by_customer.total_orders') }} as avg_order_value,
        cast(orders_by_customer.min_order_value as decimal(18, 2)) as min_order_value,
        cast(orders_by_customer.max_order_value as decimal(18, 2)) as max_order_value,
        coalesce(categories_by_customer.unique_product_categories, 0) as unique_product_categories,
        coalesce(payment_methods_by_customer.unique_payment_methods, 0) as unique_payment_methods

    from customers
    left join orders_by_customer
        on customers.customer_id = orders_by_customer.customer_id
    left join categories_by_customer
        on customers.customer_id = categories_by_customer.customer_id
    left join payment_methods_by_customer
        on customers.customer_id = payment_methods_by_customer.customer_id
)

select * from final
