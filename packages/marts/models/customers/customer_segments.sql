{{ config(materialized='table') }}

-- One row per customer segment (vip, new, active, at-risk, dormant): how many customers it
-- holds, their share, their value and their typical recency and RFM score.

with customers as (

    select * from {{ ref('customer_analytics') }}

),

segments as (

    select * from (values
        ('vip', 1), ('new', 2), ('active', 3), ('at-risk', 4), ('dormant', 5)
    ) as segments (customer_segment, segment_order)

),

by_segment as (

    select
        customer_segment,
        count(*) as customer_count,
        count(*) filter (where has_ordered) as buyer_count,
        sum(lifetime_value) as lifetime_value,
        sum(completed_order_count) as completed_order_count,
        avg(days_since_last_order) as avg_days_since_last_order,
        avg(rfm_total_score) as avg_rfm_total_score
    from customers
    group by customer_segment

),

final as (

    select
        segments.customer_segment,

        cast(segments.segment_order as integer) as segment_order,
        cast(coalesce(by_segment.customer_count, 0) as integer) as customer_count,
        {{ safe_ratio('coalesce(by_segment.customer_count, 0)', 'sum(coalesce(by_segment.customer_count, 0)) over ()', 4) }} as share_of_customers,
        cast(coalesce(by_segment.buyer_count, 0) as integer) as buyer_count,
        cast(coalesce(by_segment.lifetime_value, 0) as decimal(18, 2)) as lifetime_value,
        {{ safe_ratio('coalesce(by_segment.lifetime_value, 0)', 'sum(coalesce(by_segment.lifetime_value, 0)) over ()', 4) }} as share_of_lifetime_value,
        {{ money_divide('by_segment.lifetime_value', 'by_segment.customer_count') }} as lifetime_value_per_customer,
        cast(coalesce(by_segment.completed_order_count, 0) as integer) as completed_order_count,
        {{ round_double('cast(by_segment.avg_days_since_last_order as double precision)', 1) }} as avg_days_since_last_order,
        {{ round_double('cast(by_segment.avg_rfm_total_score as double precision)', 2) }} as avg_rfm_total_score

    from segments
    left join by_segment
        on segments.customer_segment = by_segment.customer_segment

)

select * from final
