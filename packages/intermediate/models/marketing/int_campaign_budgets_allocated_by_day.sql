with

campaigns as (
    select * from {{ ref('stg_seeds__campaigns') }}
),

flight_days as (
    select
        campaign_id,
        channel,
        start_date,
        duration_days,
        cast(budget * 100 as bigint) as budget_cents,
        flight_day_numbers.flight_day_number
    from campaigns
    cross join lateral generate_series(1, campaigns.duration_days) as flight_day_numbers (flight_day_number)
),

-- Spend to date after day k of an N-day flight is budget × k / N rounded half up to the cent, on
-- integer cents; a day's spend is the difference from the day before. Every day is a whole
-- number of cents, the days never differ by more than a cent, and the last day brings the total
-- to exactly the budget (rounding each day on its own would not: 480,000 over 1,826 days is
-- 262.87 a day, 480,000.62 in all).
allocated as (
    select
        *,
        {{ floor_divide('2 * budget_cents * flight_day_number + duration_days', '2 * duration_days') }} as spend_to_date_cents,
        {{ floor_divide('2 * budget_cents * (flight_day_number - 1) + duration_days', '2 * duration_days') }} as spend_before_cents
    from flight_days
),

final as (
    select
        -- ids
        campaign_id,

        -- strings
        channel,

        -- numerics
        cast(flight_day_number as integer) as flight_day_number,
        {{ cents_to_dollars('spend_to_date_cents - spend_before_cents') }} as spend,
        {{ cents_to_dollars('spend_to_date_cents') }} as spend_to_date,

        -- dates
        cast(start_date + cast(flight_day_number - 1 as integer) as date) as spend_date

    from allocated
)

select * from final
