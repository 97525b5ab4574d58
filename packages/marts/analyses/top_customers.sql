-- Who are our top customers? The 10 best per segment by lifetime value, with their web
-- engagement next to their purchases.

with ranked as (

    select
        customer_analytics.customer_id,
        customer_analytics.full_name,
        customer_analytics.customer_segment,
        customer_analytics.lifetime_value,
        customer_analytics.completed_order_count,
        customer_analytics.rfm_total_score,
        user_metrics.session_count,
        user_metrics.session_conversion_rate,
        row_number() over (
            partition by customer_analytics.customer_segment
            order by customer_analytics.lifetime_value desc, customer_analytics.customer_id
        ) as rank_in_segment
    from {{ ref('customer_analytics') }} as customer_analytics
    inner join {{ ref('user_metrics') }} as user_metrics
        on customer_analytics.customer_id = user_metrics.customer_id

)

select *
from ranked
where rank_in_segment <= 10
order by customer_segment, rank_in_segment
