{{ config(materialized='table') }}

-- One row per product (every catalogue product, sold or not): sales, profit and margin from
-- valid orders placed between var('start_date') and the reporting as-of date, return rate, sales
-- velocity over the trailing `slow_mover_window_days` days up to the as-of date, the slow-mover
-- flag, and ranks overall and within the category by revenue, units and gross margin. Every
-- figure comes from int_product_sales_aggregated_by_day in one pass.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

products as (

    select * from {{ ref('dim_products') }}

),

sales_by_day as (

    select sales_by_day.*
    from {{ ref('intermediate', 'int_product_sales_aggregated_by_day') }} as sales_by_day
    cross join as_of
    where sales_by_day.order_date >= cast('{{ var("start_date") }}' as date)
        and sales_by_day.order_date <= as_of.as_of_date

),

-- An order is placed on one day, so summing each day's distinct orders counts every order once.
sales as (

    select
        sales_by_day.product_id,
        sum(sales_by_day.order_count) as order_count,
        sum(sales_by_day.orders_with_discount) as orders_with_discount,
        sum(sales_by_day.units_sold) as units_sold,
        sum(sales_by_day.units_delivered) as units_delivered,
        sum(sales_by_day.units_returned) as units_returned,
        sum(sales_by_day.units_cancelled) as units_cancelled,
        sum(sales_by_day.daily_revenue) as revenue,
        sum(sales_by_day.discount_amount) as discount_amount,
        sum(sales_by_day.cost_of_goods) as cost_of_goods,
        sum(sales_by_day.daily_profit) as gross_profit,
        count(*) filter (where sales_by_day.has_sales) as days_with_sales,
        sum(sales_by_day.units_sold) filter (
            where sales_by_day.order_date > as_of.as_of_date - {{ var('slow_mover_window_days') }}
        ) as units_sold_trailing,
        sum(sales_by_day.daily_revenue) filter (
            where sales_by_day.order_date > as_of.as_of_date - {{ var('slow_mover_window_days') }}
        ) as revenue_trailing,
        min(sales_by_day.order_date) filter (where sales_by_day.has_sales) as first_sold_date,
        max(sales_by_day.order_date) filter (where sales_by_day.has_sales) as last_sold_date
    from sales_by_day
    cross join as_of
    group by sales_by_day.product_id

),

measured as (

    select
        products.product_key,
        products.product_id,
        products.category_id,
        products.sku,
        products.product_name,
        products.brand,
        products.category_name,
        products.subcategory_name,
        products.price_band,
        products.list_price,
        products.unit_cost,
        coalesce(sales.order_count, 0) as order_count,
        coalesce(sales.orders_with_discount, 0) as orders_with_discount,
        coalesce(sales.units_sold, 0) as units_sold,
        coalesce(sales.units_delivered, 0) as units_delivered,
        coalesce(sales.units_returned, 0) as units_returned,
        coalesce(sales.units_cancelled, 0) as units_cancelled,
        coalesce(sales.revenue, 0) as revenue,
        coalesce(sales.discount_amount, 0) as discount_amount,
        coalesce(sales.cost_of_goods, 0) as cost_of_goods,
        coalesce(sales.gross_profit, 0) as gross_profit,
        coalesce(sales.days_with_sales, 0) as days_with_sales,
        coalesce(sales.units_sold_trailing, 0) as units_sold_trailing,
        coalesce(sales.revenue_trailing, 0) as revenue_trailing,
        {{ round_double(safe_ratio('100 * sales.gross_profit', 'sales.revenue'), 2) }} as gross_margin_pct,
        products.is_active,
        sales.first_sold_date,
        sales.last_sold_date,
        as_of.as_of_date
    from products
    cross join as_of
    left join sales
        on products.product_id = sales.product_id

),

final as (

    select
        product_key,
        product_id,
        category_id,

        sku,
        product_name,
        brand,
        category_name,
        subcategory_name,
        price_band,

        list_price,
        unit_cost,
        cast(order_count as integer) as order_count,
        cast(orders_with_discount as integer) as orders_with_discount,
        cast(units_sold as integer) as units_sold,
        cast(units_delivered as integer) as units_delivered,
        cast(units_returned as integer) as units_returned,
        cast(units_cancelled as integer) as units_cancelled,
        cast(revenue as decimal(18, 2)) as revenue,
        cast(discount_amount as decimal(18, 2)) as discount_amount,
        cast(cost_of_goods as decimal(18, 2)) as cost_of_goods_sold,
        cast(gross_profit as decimal(18, 2)) as gross_profit,
        gross_margin_pct,
        {{ money_divide('revenue', 'units_sold') }} as average_selling_price,
        {{ safe_ratio('units_returned', '(units_delivered + units_returned)', 4) }} as return_rate,
        cast(units_sold_trailing as integer) as units_sold_trailing,
        cast(revenue_trailing as decimal(18, 2)) as revenue_trailing,
        {{ round_double('cast(units_sold_trailing as double precision) / ' ~ var('slow_mover_window_days'), 4) }} as units_per_day_trailing,
        cast(days_with_sales as integer) as days_with_sales,
        cast({{ days_between('last_sold_date', 'as_of_date') }} as integer) as days_since_last_sale,
        {{ safe_ratio('revenue', 'sum(revenue) over (partition by category_name)', 4) }} as share_of_category_revenue,
        cast(rank() over (order by revenue desc) as integer) as revenue_rank_overall,
        cast(rank() over (partition by category_name order by revenue desc) as integer) as revenue_rank_in_category,
        cast(rank() over (order by gross_profit desc) as integer) as profit_rank_overall,
        cast(rank() over (order by units_sold desc) as integer) as units_rank_overall,
        cast(rank() over (partition by category_name order by units_sold desc) as integer) as units_rank_in_category,
        cast(rank() over (partition by category_name order by gross_margin_pct desc nulls last) as integer) as margin_rank_in_category,

        is_active,
        units_sold > 0 as has_sales,
        is_active and units_sold_trailing < {{ var('slow_mover_max_units') }} as is_slow_mover,

        first_sold_date,
        last_sold_date,
        as_of_date

    from measured

)

select * from final
