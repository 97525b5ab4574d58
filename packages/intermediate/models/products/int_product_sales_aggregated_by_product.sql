with

products as (
    select * from {{ ref('stg_ecommerce__products') }}
),

order_items as (
    select * from {{ ref('int_order_items_enriched') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

-- A scalar subquery, not `from orders`: with the var set, the CTE must still be one row.
as_of as (
    select {{ as_of_date('(select max(order_date) from orders)') }} as as_of_date
),

sales_by_product as (
    select
        product_id,
        count(distinct order_id) filter (where is_valid) as order_count,
        coalesce(sum(quantity) filter (where is_valid), 0) as units_sold,
        coalesce(sum(quantity) filter (where is_completed), 0) as units_delivered,
        coalesce(sum(quantity) filter (where is_returned), 0) as units_returned,
        coalesce(sum(quantity) filter (where is_cancelled), 0) as units_cancelled,
        coalesce(sum(gross_amount) filter (where is_valid), 0) as gross_amount,
        coalesce(sum(discount_amount) filter (where is_valid), 0) as discount_amount,
        coalesce(sum(line_total) filter (where is_valid), 0) as revenue,
        coalesce(sum(cost_amount) filter (where is_valid), 0) as cost_amount,
        count(distinct order_date) filter (where is_valid) as days_with_sales,
        min(order_date) filter (where is_valid) as first_sold_date,
        max(order_date) filter (where is_valid) as last_sold_date
    from order_items
    group by product_id
),

final as (
    select
        -- ids
        products.product_id,

        -- numerics
        coalesce(sales.order_count, 0) as order_count,
        coalesce(sales.units_sold, 0) as units_sold,
        coalesce(sales.units_delivered, 0) as units_delivered,
        coalesce(sales.units_returned, 0) as units_returned,
        coalesce(sales.units_cancelled, 0) as units_cancelled,
        cast(coalesce(sales.gross_amount, 0) as decimal(18, 2)) as gross_amount,
        cast(coalesce(sales.discount_amount, 0) as decimal(18, 2)) as discount_amount,
        cast(coalesce(sales.revenue, 0) as decimal(18, 2)) as revenue,
        cast(coalesce(sales.cost_amount, 0) as decimal(18, 2)) as cost_amount,
        cast(coalesce(sales.revenue, 0) - coalesce(sales.cost_amount, 0) as decimal(18, 2)) as profit,
        round({{ safe_divide('100 * (sales.revenue - sales.cost_amount)', 'sales.revenue') }}, 2) as margin_pct,
        {{ safe_divide('sales.units_returned', 'sales.units_delivered + sales.units_returned') }} as return_rate,
        coalesce(sales.days_with_sales, 0) as days_with_sales,
        {{ days_between('sales.last_sold_date', 'as_of.as_of_date') }} as days_since_last_sale,

        -- booleans
        coalesce(sales.units_sold, 0) > 0 as has_sales,

        -- dates
        sales.first_sold_date,
        sales.last_sold_date,
        as_of.as_of_date

    from products
    cross join as_of
    left join sales_by_product as sales
        on products.product_id = sales.product_id
)

select * from final
