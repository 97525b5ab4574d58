with

-- Not materialized: each step below reads only the columns it needs from the view. A CTE read
-- several times is otherwise computed once with all its columns, and the window passes below
-- would sort every column of every event instead of the keys (about a quarter more CPU).
events as not materialized (
    select * from {{ ref('stg_ecommerce__web_events') }}
),

-- A new session starts on a device's first event and after every gap longer than the timeout.
-- The two window passes read only the keys (sorting the events' text columns along with them
-- would cost several times more); the events join back on web_event_id.
event_order as (
    select
        web_event_id,
        anonymous_id,
        occurred_at,
        -- the event's place in its device's history: one number to order by instead of
        -- (occurred_at, web_event_id)
        row_number() over device_events as device_event_number,
        lag(occurred_at) over device_events as previous_occurred_at
    from events
    window device_events as (partition by anonymous_id order by occurred_at, web_event_id)
),

event_sessions as (
    select
        web_event_id,
        device_event_number,
        sum(
            case
                when previous_occurred_at is null
                    or occurred_at > previous_occurred_at
                        + {{ var('session_timeout_minutes', 30) }} * interval '1 minute'
                    then 1
                else 0
            end
        ) over (
            partition by anonymous_id
            order by device_event_number
            rows between unbounded preceding and current row
        ) as session_number
    from event_order
),

events_numbered as (
    select
        events.*,
        event_sessions.device_event_number,
        event_sessions.session_number
    from events
    inner join event_sessions
        on events.web_event_id = event_sessions.web_event_id
),

-- The customer a device is known as: the first customer it was ever logged in as. A device's
-- events are ordered by (occurred_at, web_event_id), a total order, here and below.
device_customers as (
    select
        anonymous_id,
        {{ first_by('customer_id', ['occurred_at', 'web_event_id']) }} as customer_id
    from events
    where customer_id is not null
    group by anonymous_id
),

sessions as (
    select
        anonymous_id,
        session_number,
        {{ first_by('customer_id', 'device_event_number', filter='customer_id is not null') }} as session_customer_id,
        {{ first_by('utm_campaign_id', 'device_event_number', filter='utm_campaign_id is not null') }} as utm_campaign_id,
        {{ first_by('utm_source', 'device_event_number', filter='utm_source is not null') }} as utm_source,
        {{ first_by('page_url', 'device_event_number') }} as landing_page_url,
        {{ last_by('page_url', 'device_event_number') }} as exit_page_url,
        count(*) as event_count,
        count(*) filter (where event_type = 'pageview') as pageview_count,
        count(*) filter (where event_type = 'add_to_cart') as add_to_cart_count,
        count(*) filter (where event_type = 'purchase') as purchase_count,
        count(*) filter (where event_type = 'signup') as signup_count,
        count(*) filter (where event_type = 'login') as login_count,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at
    from events_numbered
    group by anonymous_id, session_number
),

final as (
    select
        -- ids
        {{ generate_surrogate_key(['sessions.anonymous_id', 'sessions.session_number']) }} as session_id,
        sessions.anonymous_id,
        coalesce(sessions.session_customer_id, device_customers.customer_id) as customer_id,
        sessions.utm_campaign_id,

        -- strings
        sessions.landing_page_url,
        sessions.exit_page_url,
        sessions.utm_source,
        case
            when sessions.purchase_count > 0 then 'purchased'
            when sessions.add_to_cart_count > 0 then 'abandoned_cart'
            when sessions.event_count = 1 then 'bounced'
            else 'browsed'
        end as outcome,

        -- numerics
        sessions.session_number,
        sessions.event_count,
        sessions.pageview_count,
        sessions.add_to_cart_count,
        sessions.purchase_count,
        {{ seconds_between('sessions.started_at', 'sessions.ended_at') }} as duration_seconds,

        -- booleans
        sessions.session_customer_id is not null as is_identified,
        sessions.event_count = 1 as is_bounce,
        -- 004's max_session_duration_hours: a longer "session" is a tracking artefact (a tab left
        -- open with a heartbeat, a bot), flagged so averages can leave it out.
        {{ seconds_between('sessions.started_at', 'sessions.ended_at') }}
            > {{ var('max_session_duration_hours', 12) }} * 3600 as is_over_max_duration,
        sessions.add_to_cart_count > 0 as has_add_to_cart,
        sessions.purchase_count > 0 as has_purchase,
        sessions.signup_count > 0 as has_signup,
        sessions.login_count > 0 as has_login,

        -- dates
        cast(sessions.started_at as date) as session_date,

        -- timestamps
        sessions.started_at,
        sessions.ended_at

    from sessions
    left join device_customers
        on sessions.anonymous_id = device_customers.anonymous_id
)

select * from final
