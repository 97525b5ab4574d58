-- Every dollar amount in staging converts back to exactly the cents stored in raw: no rounding
-- or overflow is introduced by the cents → DECIMAL(18,2) conversion.
with

orders as (
    select
        staged.order_id,
        'orders' as table_name
    from {{ ref('stg_ecommerce__orders') }} as staged
    inner join {{ source('ecommerce', 'orders') }} as raw_orders
        on staged.order_id = raw_orders.id
    where {{ dollars_to_cents('staged.subtotal') }} != raw_orders.subtotal_cents
        or {{ dollars_to_cents('staged.shipping_amount') }} != raw_orders.shipping_cents
        or {{ dollars_to_cents('staged.tax_amount') }} != raw_orders.tax_cents
        or {{ dollars_to_cents('staged.order_total') }} != raw_orders.order_total_cents
),

order_items as (
    select
        staged.order_item_id,
        'order_items' as table_name
    from {{ ref('stg_ecommerce__order_items') }} as staged
    inner join {{ source('ecommerce', 'order_items') }} as raw_items
        on staged.order_item_id = raw_items.id
    where {{ dollars_to_cents('staged.unit_price') }} != raw_items.unit_price_cents
        or {{ dollars_to_cents('staged.discount_amount') }} != raw_items.discount_cents
        or {{ dollars_to_cents('staged.line_total') }} != raw_items.line_total_cents
        or {{ dollars_to_cents('staged.gross_amount') }} != raw_items.quantity * raw_items.unit_price_cents
)

select * from orders
union all
select * from order_items
