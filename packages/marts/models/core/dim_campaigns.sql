{{ config(materialized='table') }}

-- One row per marketing campaign from the campaign_metadata seed: channel, budget and flight dates.

with campaigns as (

    select * from {{ ref('staging', 'stg_seeds__campaigns') }}

),

final as (

    select
        campaign_id,

        campaign_name,
        channel,

        cast(budget as decimal(18, 2)) as budget,
        cast(date_diff('day', start_date, end_date) + 1 as integer) as flight_days,
        cast(round(budget / (date_diff('day', start_date, end_date) + 1), 2) as decimal(18, 2)) as daily_budget,

        start_date,
        end_date

    from campaigns

)

select * from final
