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

-- The product's category when the line was sold, from the product history: each snapshot version
-- holds from its own updated_at to the next version's. A line sold before the first known version
-- takes that first version. Reading the current category instead would make an incremental run
-- disagree with a full refresh once a product moves category.
product_versions as (

    select
        product_id,
        category_name,
        subcategory_name,
        updated_at as effective_from,
        lead(updated_at) over (partition by product_id order by updated_at, dbt_valid_from) as effective_to,
        row_number() over (partition by product_id order by updated_at, dbt_valid_from) as version_number
    from {{ ref('staging', 'snap_products') }}

),

first_versions as (

    select product_id, category_name, subcategory_name
    from product_versions
    where version_number = 1

),

final as (

    select
        {{ generate_surrogate_key(['order_items.order_item_id']) }} as order_item_key,
        order_items.order_item_id,
        order_items.order_id,
        products.product_key,
        order_items.product_id,
        order_items.customer_id,
        order_items.campaign_id,
        cast(strftime(order_items.order_date, '%Y%m%d') as integer) as date_key,

        order_items.order_status,
        coalesce(sold_as.category_name, first_versions.category_name, order_items.category_name) as category_name,
        coalesce(sold_as.subcategory_name, first_versions.subcategory_name, order_items.subcategory_name) as subcategory_name,

        order_items.quantity,
        order_items.unit_price,
        order_items.unit_cost,
        order_items.discount_pct,
        order_items.gross_amount,
        order_items.discount_amount,
        order_items.line_total,
        order_items.cost_amount,
        order_items.profit as gross_profit,

        order_items.has_discount,
        order_items.is_valid,
        order_items.is_completed,
        order_items.is_cancelled,
        order_items.is_returned,

        order_items.order_date,

        order_items.ordered_at,
        orders.updated_at as order_updated_at,
        order_items.loaded_at

    from order_items
    inner join orders
        on order_items.order_id = orders.order_id
    left join products
        on order_items.product_id = products.product_id
    left join product_versions as sold_as
        on order_items.product_id = sold_as.product_id
        and order_items.ordered_at >= sold_as.effective_from
        and (sold_as.effective_to is null or order_items.ordered_at < sold_as.effective_to)
    left join first_versions
        on order_items.product_id = first_versions.product_id

    {% if is_incremental() %}
    where order_items.loaded_at >= (
            select max(loaded_at) - interval {{ var('lookback_days', 3) }} day from {{ this }}
        )
        or orders.updated_at >= (
            select max(order_updated_at) - interval {{ var('lookback_days', 3) }} day from {{ this }}
        )
    {% endif %}

)

select * from final
