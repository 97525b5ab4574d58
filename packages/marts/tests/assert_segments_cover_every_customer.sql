-- The segment summary accounts for every customer and all of their lifetime value.

with summary as (

    select sum(customer_count) as customers, sum(lifetime_value) as lifetime_value
    from {{ ref('customer_segments') }}

),

detail as (

    select count(*) as customers, sum(lifetime_value) as lifetime_value
    from {{ ref('customer_analytics') }}

)

select summary.*, detail.customers as expected_customers, detail.lifetime_value as expected_lifetime_value
from summary
cross join detail
where summary.customers <> detail.customers
    or summary.lifetime_value <> detail.lifetime_value
