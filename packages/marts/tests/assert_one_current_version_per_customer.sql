-- Every customer has exactly one current version in dim_customers_history, and every customer of the
-- source is in the dimension.

with versions as (

    select customer_id, count(*) filter (where is_current) as current_versions
    from {{ ref('dim_customers_history') }}
    group by customer_id

)

select customers.customer_id, versions.current_versions
from {{ ref('staging', 'stg_ecommerce__customers') }} as customers
left join versions
    on customers.customer_id = versions.customer_id
where coalesce(versions.current_versions, 0) <> 1
