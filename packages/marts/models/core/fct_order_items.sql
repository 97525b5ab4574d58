{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='order_item_id',
        on_schema_change='append_new_columns'
    )
}}

-- One row per order line. Incremental: each run re-reads the lines loaded, or whose order changed
-- status, within the last `lookback_days` days of what the table already holds, and merges them
-- on order_item_id. Late-arriving lines are inserted and lines of orders that moved on (shipped,
-- delivered, returned) are updated in place.

with order_items as (

    select * from {{ ref('intermediate', 'int_order_items_enriched') }}
    -- var start_date: the first order date the facts hold (002 §7).
    where order_date >= cast('{{ var("start_date") }}' as date)

),

-- Only for the order's updated_at, which moves when the status changes.
orders as (

    select order_id, updated_at
    from {{ ref('staging', 'stg_ecommerce__orders') }}

),

products as (

    select product_id, product_key
    from {{ ref('dim_products') }}

),

sold as (

    select
        order_items.*,
        orders.updated_at as order_updated_at,
        products.product_key
    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id

    {% if is_incremental() %}
    where order_items.loaded_at >= (
            select max(loaded_at) - interval '{{ var('lookback_days', 3) }} day' from {{ this }}
        )
        or orders.updated_at >= (
            select max(order_updated_at) - interval '{{ var('lookback_days', 3) }} day' from {{ this }}
        )
    {% endif %}

),

-- The money terms at line grain: revenue, cost of goods (at the unit cost when sold) and profit
-- count valid lines only, so a cancelled or returned line earns, costs and profits 0.
final as (

    select
        {{ generate_surrogate_key(['order_item_id']) }} as order_item_key,
        order_item_id,
        order_id,
        product_key,
        product_id,
        customer_id,
        campaign_id,
        {{ date_key('order_date') }} as date_key,

        order_status,
        product_name,
        brand,
        category_name_at_sale as category_name,
        subcategory_name_at_sale as subcategory_name,

        quantity,
        unit_price,
        unit_cost,
        discount_pct,
        gross_amount,
        discount_amount,
        line_total,
        cost_amount,
        profit as gross_profit,
        cast(case when is_valid then line_total else 0 end as decimal(18, 2)) as total_revenue,
        -- cost_amount and profit are at the unit cost in force when the line was sold (int_order_items_enriched).
        cast(case when is_valid then cost_amount else 0 end as decimal(18, 2)) as line_cost,
        cast(case when is_valid then profit else 0 end as decimal(18, 2)) as line_profit,
        case
            when is_valid and line_total <> 0
                then {{ round_double('cast(100 * profit as double precision) / line_total', 2) }}
        end as profit_margin_pct,

        has_discount,
        is_valid,
        is_completed,
        is_cancelled,
        is_returned,

        order_date,

        ordered_at,
        order_updated_at,
        loaded_at,
        {{ run_timestamp() }} as dbt_updated_at

    from sold

)

select * from final

