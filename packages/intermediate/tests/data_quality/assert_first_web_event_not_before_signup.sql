-- 004's test_valid_event_sequence, read for a shop: a customer's first logged-in web event comes
-- no earlier than the moment the account was created. Browsing before signing up is normal, so
-- only events that carry the customer's id count. One failing row per customer.

with

first_events as (
    select
        customer_id,
        min(occurred_at) as first_event_at
    from {{ ref('stg_ecommerce__web_events') }}
    where customer_id is not null
    group by customer_id
),

customers as (
    select customer_id, signed_up_at
    from {{ ref('stg_ecommerce__customers') }}
),

final as (
    select
        first_events.customer_id,
        customers.signed_up_at,
        first_events.first_event_at
    from first_events
    inner join customers
        on first_events.customer_id = customers.customer_id
    where first_events.first_event_at < customers.signed_up_at
)

select * from final
