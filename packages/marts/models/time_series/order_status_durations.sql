{{ config(materialized='table') }}

-- One row per order status: how long orders stay in it before moving on, and how many orders sit
-- in it now.
-- Durations come from the status change log, which stamps every change when it happens. The
-- status snapshot (snap_order_statuses) records a new version only when a snapshot runs, so its
-- valid_from / valid_to are only as fine as the snapshot schedule; it supplies the current status
-- of every order (its open versions) and, across runs, the history used for auditing.

with status_changes as (

    select * from {{ ref('staging', 'stg_ecommerce__order_status_changes') }}

),

stays as (

    select
        order_id,
        status,
        changed_at as entered_at,
        lead(changed_at) over (partition by order_id order by changed_at, order_status_change_id) as left_at
    from status_changes

),

{%- set seconds_in_status = seconds_between('entered_at', 'left_at') %}
stay_durations as (

    select
        status,
        count(*) as entry_count,
        count(left_at) as completed_stay_count,
        {{ round_double('cast(avg(' ~ seconds_in_status ~ ') as double precision) / 3600', 2) }} as avg_hours_in_status,
        {{ round_double('percentile_cont(0.5) within group (order by ' ~ seconds_in_status ~ ') / 3600', 2) }} as median_hours_in_status,
        {{ round_double('percentile_cont(0.9) within group (order by ' ~ seconds_in_status ~ ') / 3600', 2) }} as p90_hours_in_status,
        {{ round_double('cast(max(' ~ seconds_in_status ~ ') as double precision) / 3600', 2) }} as max_hours_in_status
    from stays
    group by status

),

current_statuses as (

    select status, count(*) as current_order_count
    from {{ ref('staging', 'snap_order_statuses') }}
    where dbt_valid_to is null
    group by status

),

lifecycle as (

    select * from (values
        ('pending', 1, false),
        ('processing', 2, false),
        ('shipped', 3, false),
        ('delivered', 4, true),
        ('cancelled', 5, true),
        ('returned', 6, true)
    ) as lifecycle (status, lifecycle_step, is_terminal)

),

final as (

    select
        lifecycle.status,

        cast(lifecycle.lifecycle_step as integer) as lifecycle_step,
        cast(coalesce(stay_durations.entry_count, 0) as integer) as entry_count,
        cast(coalesce(stay_durations.completed_stay_count, 0) as integer) as completed_stay_count,
        stay_durations.avg_hours_in_status,
        stay_durations.median_hours_in_status,
        stay_durations.p90_hours_in_status,
        stay_durations.max_hours_in_status,
        cast(coalesce(current_statuses.current_order_count, 0) as integer) as current_order_count,
        {{ safe_ratio('coalesce(current_statuses.current_order_count, 0)', 'sum(coalesce(current_statuses.current_order_count, 0)) over ()', 4) }} as share_of_current_orders,

        lifecycle.is_terminal

    from lifecycle
    left join stay_durations
        on lifecycle.status = stay_durations.status
    left join current_statuses
        on lifecycle.status = current_statuses.status

)

select * from final
