-- Rule: acquisition attribution covers every customer with a valid order, organic ones under
-- `direct`, so that under each attribution model the channels add up to all revenue: per model
-- and customer, the attributed revenue equals the customer's net merchandise revenue of valid
-- orders in fct_orders, to the cent (and no customer without a valid order is attributed).

with buyers as (

    select customer_id, sum(subtotal) as revenue
    from {{ ref('fct_orders') }}
    where is_valid
    group by customer_id

),

models as (

    select * from (values ('first_touch'), ('last_touch'), ('linear')) as models (attribution_model)

),

expected as (

    select models.attribution_model, buyers.customer_id, buyers.revenue
    from buyers
    cross join models

),

attributed as (

    select attribution_model, customer_id, sum(attributed_revenue) as revenue
    from {{ ref('marketing_attribution') }}
    group by attribution_model, customer_id

),

customers_with_valid_orders as (

    select distinct customer_id
    from {{ ref('staging', 'stg_ecommerce__orders') }}
    where is_valid

)

select
    coalesce(expected.attribution_model, attributed.attribution_model) as attribution_model,
    coalesce(expected.customer_id, attributed.customer_id) as customer_id,
    expected.revenue as expected_revenue,
    attributed.revenue as attributed_revenue
from expected
full outer join attributed
    on expected.attribution_model = attributed.attribution_model
    and expected.customer_id = attributed.customer_id
where (expected.customer_id is not null and attributed.customer_id is null)
    or coalesce(expected.revenue, 0) <> coalesce(attributed.revenue, 0)
    or attributed.customer_id not in (select customer_id from customers_with_valid_orders)
