with

source as (
    select * from {{ ref('campaign_metadata') }}
),

final as (
    select
        -- ids
        cast(campaign_id as integer) as campaign_id,

        -- strings
        campaign_name,
        lower(channel) as channel,

        -- numerics
        cast(budget as decimal(18, 2)) as budget,
        {{ days_between('start_date', 'end_date') }} + 1 as duration_days,

        -- dates
        cast(start_date as date) as start_date,
        cast(end_date as date) as end_date

    from source
)

select * from final
