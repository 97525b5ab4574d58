-- Rule: Σ dim_customers.lifetime_value equals Σ order_total of the completed orders in fct_orders,
-- plus the completed orders the facts do not hold (placed before the var start_date; lifetime
-- counts every loaded order). With the default start_date, before the first order, that is 0.

with customers as (

    select coalesce(sum(lifetime_value), 0) as lifetime_value
    from {{ ref('dim_customers') }}

),

completed_in_facts as (

    select coalesce(sum(order_total), 0) as order_total
    from {{ ref('fct_orders') }}
    where is_completed

),

completed_before_start as (

    select coalesce(sum(order_total), 0) as order_total
    from {{ ref('stg_ecommerce__orders') }}
    where is_completed
        and order_id not in (select order_id from {{ ref('fct_orders') }})

)

select
    customers.lifetime_value,
    completed_in_facts.order_total as fct_orders_completed_total,
    completed_before_start.order_total as completed_before_start_date
from customers
cross join completed_in_facts
cross join completed_before_start
where customers.lifetime_value <> completed_in_facts.order_total + completed_before_start.order_total
