{{ config(materialized='table') }}

-- One row per product category (004's product_summary, read as an e-commerce shop): valid orders
-- placed from var('start_date') to the reporting as-of date that hold the category, their buyers,
-- net merchandise revenue and gross profit of the category's lines, revenue split by the buyer's
-- first purchase versus repeat purchases, and orders per payment method. A product counts under
-- the category it is catalogued in now, as in product_performance, so the two marts add up.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

bounds as (

    select cast('{{ var("start_date") }}' as date) as first_date, as_of.as_of_date as last_date
    from as_of

),

categories as (

    select distinct category_id, category_name
    from {{ ref('staging', 'stg_seeds__product_categories') }}

),

products as (

    select product_id, category_name
    from {{ ref('dim_products') }}

),

-- Revenue, profit and units by category come from the product × day sales, like product_performance.
category_sales as (

    select
        products.category_name,
        sum(sales_by_day.units_sold) as units_sold,
        sum(sales_by_day.daily_revenue) as revenue,
        sum(sales_by_day.daily_profit) as gross_profit
    from {{ ref('intermediate', 'int_product_sales_aggregated_by_day') }} as sales_by_day
    inner join products
        on sales_by_day.product_id = products.product_id
    cross join bounds
    where sales_by_day.order_date between bounds.first_date and bounds.last_date
    group by products.category_name

),

-- A customer's first purchase is their first valid order ever (by time placed, then id), even
-- when it falls before the window; every later valid order is a repeat purchase.
first_purchases as (

    select order_id
    from (
        select
            order_id,
            row_number() over (partition by customer_id order by ordered_at, order_id) as valid_order_number
        from {{ ref('staging', 'stg_ecommerce__orders') }}
        where is_valid
    ) as valid_orders
    where valid_order_number = 1

),

lines as (

    select
        order_items.order_id,
        order_items.customer_id,
        products.category_name,
        order_items.line_total,
        first_purchases.order_id is not null as is_first_purchase
    from {{ ref('fct_order_items') }} as order_items
    inner join products
        on order_items.product_id = products.product_id
    cross join bounds
    left join first_purchases
        on order_items.order_id = first_purchases.order_id
    where order_items.is_valid
        and order_items.order_date between bounds.first_date and bounds.last_date

),

-- Net merchandise revenue of the whole order (every category), for the average basket.
order_values as (

    select order_id, sum(line_total) as order_revenue
    from lines
    group by order_id

),

category_orders as (

    select
        lines.category_name,
        lines.order_id,
        min(lines.customer_id) as customer_id,  -- an order has one customer
        sum(lines.line_total) filter (where lines.is_first_purchase) as first_purchase_revenue,
        sum(lines.line_total) filter (where not lines.is_first_purchase) as repeat_purchase_revenue
    from lines
    group by lines.category_name, lines.order_id

),

-- An order paid in two parts with two methods counts under each.
payment_methods as (

    select distinct order_id, payment_method
    from {{ ref('staging', 'stg_ecommerce__payments') }}

),

category_orders_summarized as (

    select
        category_orders.category_name,
        count(distinct category_orders.order_id) as order_count,
        count(distinct category_orders.customer_id) as buyer_count,
        count(distinct category_orders.order_id) filter (where category_orders.first_purchase_revenue is not null) as first_purchase_order_count,
        coalesce(sum(category_orders.first_purchase_revenue), 0) as first_purchase_revenue,
        coalesce(sum(category_orders.repeat_purchase_revenue), 0) as repeat_purchase_revenue,
        sum(order_values.order_revenue) as basket_revenue
    from category_orders
    inner join order_values
        on category_orders.order_id = order_values.order_id
    group by category_orders.category_name

),

category_payments as (

    select
        category_orders.category_name,
        count(distinct category_orders.order_id) filter (where payment_methods.payment_method = 'credit_card') as credit_card_orders,
        count(distinct category_orders.order_id) filter (where payment_methods.payment_method = 'paypal') as paypal_orders,
        count(distinct category_orders.order_id) filter (where payment_methods.payment_method = 'bank_transfer') as bank_transfer_orders,
        count(distinct category_orders.order_id) filter (where payment_methods.payment_method = 'gift_card') as gift_card_orders,
        count(distinct category_orders.order_id) filter (where payment_methods.order_id is null) as unpaid_orders
    from category_orders
    left join payment_methods
        on category_orders.order_id = payment_methods.order_id
    group by category_orders.category_name

),

final as (

    select
        categories.category_id,

        categories.category_name,

        cast(coalesce(orders.order_count, 0) as integer) as total_orders,
        cast(coalesce(orders.buyer_count, 0) as integer) as unique_buyers,
        cast(coalesce(sales.units_sold, 0) as integer) as total_units,
        cast(coalesce(sales.revenue, 0) as decimal(18, 2)) as total_revenue,
        cast(coalesce(sales.gross_profit, 0) as decimal(18, 2)) as gross_profit,
        {{ round_double(safe_ratio('100 * sales.gross_profit', 'sales.revenue'), 2) }} as gross_margin_pct,
        {{ money_divide('coalesce(orders.basket_revenue, 0)', 'coalesce(orders.order_count, 0)') }} as avg_order_value,
        cast(coalesce(orders.first_purchase_revenue, 0) as decimal(18, 2)) as first_purchase_revenue,
        cast(coalesce(orders.repeat_purchase_revenue, 0) as decimal(18, 2)) as repeat_purchase_revenue,
        cast(coalesce(orders.first_purchase_order_count, 0) as integer) as first_purchase_orders,
        cast(coalesce(payments.credit_card_orders, 0) as integer) as credit_card_orders,
        cast(coalesce(payments.paypal_orders, 0) as integer) as paypal_orders,
        cast(coalesce(payments.bank_transfer_orders, 0) as integer) as bank_transfer_orders,
        cast(coalesce(payments.gift_card_orders, 0) as integer) as gift_card_orders,
        cast(coalesce(payments.unpaid_orders, 0) as integer) as unpaid_orders,
        {{ money_divide('coalesce(sales.revenue, 0)', 'coalesce(orders.order_count, 0)') }} as revenue_per_order,
        {{ money_divide('coalesce(sales.revenue, 0)', 'coalesce(orders.buyer_count, 0)') }} as revenue_per_buyer,
        {{ safe_ratio('coalesce(orders.repeat_purchase_revenue, 0)', 'sales.revenue', 4) }} as repeat_purchase_revenue_share,

        {{ run_timestamp() }} as dbt_updated_at

    from categories
    left join category_sales as sales
        on categories.category_name = sales.category_name
    left join category_orders_summarized as orders
        on categories.category_name = orders.category_name
    left join category_payments as payments
        on categories.category_name = payments.category_name

)

select * from final
