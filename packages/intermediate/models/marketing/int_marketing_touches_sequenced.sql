with

touches as (
    select * from {{ ref('stg_ecommerce__marketing_touches') }}
),

acquisitions as (
    select * from {{ ref('int_customers_acquired') }}
),

-- The conversion is the customer's acquisition: their first valid order (int_customers_acquired).
conversions as (
    select
        customer_id,
        converting_order_id,
        converted_at,
        conversion_date
    from acquisitions
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
