{{ config(materialized='table') }}

-- One row per marketing campaign from the campaign_metadata seed: channel, budget, flight dates
-- and whether the flight covers the reporting as-of date.

with as_of as (

    select {{ reporting_as_of_date() }} as as_of_date

),

campaigns as (

    select * from {{ ref('staging', 'stg_seeds__campaigns') }}

),

final as (

    select
        campaigns.campaign_id,

        campaigns.campaign_name,
        campaigns.channel,

        cast(campaigns.budget as decimal(18, 2)) as budget,
        cast({{ days_between('campaigns.start_date', 'campaigns.end_date') }} + 1 as integer) as flight_days,
        cast({{ round_double('cast(campaigns.budget as double precision) / (' ~ days_between('campaigns.start_date', 'campaigns.end_date') ~ ' + 1)', 2) }} as decimal(18, 2)) as daily_budget,

        as_of.as_of_date between campaigns.start_date and campaigns.end_date as is_active,

        campaigns.start_date,
        campaigns.end_date

    from campaigns
    cross join as_of

)

select * from final
