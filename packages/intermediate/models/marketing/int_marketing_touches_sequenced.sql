with

touches as (
    select * from {{ ref('stg_ecommerce__marketing_touches') }}
),

orders as (
    select * from {{ ref('stg_ecommerce__orders') }}
),

-- The conversion is the customer's first order, ranked as in int_customer_order_history
-- (ordered_at, then order_id); a group-by finds it without ranking every order.
conversions as (
    select
        customer_id,
        arg_min(order_id, (ordered_at, order_id)) as converting_order_id,
        min(ordered_at) as converted_at,
        cast(min(ordered_at) as date) as conversion_date
    from orders
    group by customer_id
),

journey_touches as (
    select
        touches.*,
        conversions.converting_order_id,
        conversions.converted_at,
        conversions.conversion_date
    from touches
    left join conversions
        on touches.customer_id = conversions.customer_id
    where conversions.converted_at is null
        or touches.touched_at <= conversions.converted_at
),

sequenced as (
    select
        *,
        row_number() over (
            partition by customer_id
            order by touched_at, marketing_touch_id
        ) as touch_number,
        count(*) over (partition by customer_id) as touches_in_journey
    from journey_touches
),

final as (
    select
        -- ids
        marketing_touch_id,
        customer_id,
        campaign_id,
        converting_order_id,

        -- strings
        channel,

        -- numerics
        touch_number,
        touches_in_journey,
        1.0 / touches_in_journey as linear_attribution_weight,
        {{ days_between('touched_at', 'converted_at') }} as days_to_conversion,

        -- booleans
        touch_number = 1 as is_first_touch,
        touch_number = touches_in_journey as is_last_touch,
        converting_order_id is not null as is_converted,

        -- dates
        touch_date,
        conversion_date,

        -- timestamps
        touched_at,
        converted_at

    from sequenced
)

select * from final
