-- Each RFM score holds a fifth of the customers with a completed order: for every measure, each
-- of the scores 1-5 holds floor(n / 5) or ceil(n / 5) customers (the rank-based quintiles with
-- the tie rule of customer_analytics), never the pile-up on score 1 that shared ranks give.

with scored as (

    select * from {{ ref('customer_analytics') }}
    where has_completed_order

),

scores as (

    select score
    from (values (1), (2), (3), (4), (5)) as quintiles (score)

),

counts as (

    select
        measures.measure,
        scores.score,
        count(scored.customer_id) filter (
            where (measures.measure = 'recency' and scored.recency_score = scores.score)
                or (measures.measure = 'frequency' and scored.frequency_score = scores.score)
                or (measures.measure = 'monetary' and scored.monetary_score = scores.score)
        ) as customer_count,
        count(scored.customer_id) as scored_count
    from (values ('recency'), ('frequency'), ('monetary')) as measures (measure)
    cross join scores
    cross join scored
    group by measures.measure, scores.score

)

select *
from counts
where customer_count < floor(scored_count / 5.0)
    or customer_count > ceil(scored_count / 5.0)
