-- A higher RFM score never means a worse measure: every monetary value scored s is at most every
-- value scored s + 1 (equal values may straddle two scores under the tie rule), and likewise for
-- frequency and (inverted) recency.

with scored as (

    select
        monetary_score as score, 'monetary' as measure,
        min(monetary_value) as low, max(monetary_value) as high
    from {{ ref('customer_analytics') }}
    where monetary_score is not null
    group by monetary_score

    union all

    select
        frequency_score, 'frequency',
        min(frequency), max(frequency)
    from {{ ref('customer_analytics') }}
    where frequency_score is not null
    group by frequency_score

    union all

    select
        recency_score, 'recency',
        -max(recency_days), -min(recency_days)
    from {{ ref('customer_analytics') }}
    where recency_score is not null
    group by recency_score

),

ordered as (

    select
        measure,
        score,
        high,
        lead(low) over (partition by measure order by score) as next_low
    from scored

)

select *
from ordered
where next_low is not null and high > next_low
