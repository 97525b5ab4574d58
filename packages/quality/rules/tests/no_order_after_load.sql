-- Rule (T052): order dates are never in the future. The run's "now" is its as-of date: the var
-- `as_of_date` when set, otherwise the day of the latest load into the warehouse (loads are
-- stamped when they arrive, so an order dated ahead cannot move it). An order fails when it is
-- dated after the end of that day, or after the moment its own row was loaded.

with orders as (

    select * from {{ ref('stg_ecommerce__orders') }}

),

as_of as (

    select {{ as_of_date('(select max(loaded_at) from orders)') }} as as_of_date

),

final as (

    select
        orders.order_id,
        orders.ordered_at,
        orders.loaded_at,
        as_of.as_of_date
    from orders
    cross join as_of
    where cast(orders.ordered_at as date) > as_of.as_of_date
        or orders.ordered_at > orders.loaded_at

)

select * from final
