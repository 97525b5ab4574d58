
with __dbt__cte__int_payments_by_order as (

select order_id, sum(amount) as paid_amount
from "wh"."main_stg"."stg_payments"
group by order_id

),
__dbt__cte__int_orders_paid as (

select orders.*, payments.paid_amount
from "wh"."main_stg"."stg_shop__orders" as orders
left join __dbt__cte__int_payments_by_order as payments using (order_id)

),
orders as (
    select * from __dbt__cte__int_orders_paid
),

final as (
    select * from orders
    
)

select * from final
