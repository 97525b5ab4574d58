-- fct_orders and fct_order_items hold exactly the staged orders and lines placed on or after the
-- var start_date: none missing, none earlier.

with orders_expected as (

    select order_id
    from {{ ref('staging', 'stg_ecommerce__orders') }}
    where order_date >= cast('{{ var("start_date") }}' as date)

),

items_expected as (

    select order_items.order_item_id
    from {{ ref('staging', 'stg_ecommerce__order_items') }} as order_items
    inner join orders_expected
        on order_items.order_id = orders_expected.order_id

)

select 'fct_orders' as fact, coalesce(facts.order_id, orders_expected.order_id) as row_id
from {{ ref('fct_orders') }} as facts
full join orders_expected
    on facts.order_id = orders_expected.order_id
where facts.order_id is null or orders_expected.order_id is null

union all

select 'fct_order_items', coalesce(facts.order_item_id, items_expected.order_item_id)
from {{ ref('fct_order_items') }} as facts
full join items_expected
    on facts.order_item_id = items_expected.order_item_id
where facts.order_item_id is null or items_expected.order_item_id is null
