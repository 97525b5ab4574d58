-- Signup cohorts add up to the whole customer base, and month 0 of the retention table has the
-- same cohort sizes as the summary.

with summary as (

    select cohort_month, cohort_size from {{ ref('cohort_summary') }}

),

retention as (

    select cohort_month, cohort_size
    from {{ ref('cohort_retention') }}
    where months_since_signup = 0

)

select 'total' as check_name, null as cohort_month, sum(cohort_size) as actual,
    (select count(*) from {{ ref('customer_analytics') }}) as expected
from summary
having sum(cohort_size) <> (select count(*) from {{ ref('customer_analytics') }})

union all

select 'month 0', summary.cohort_month, retention.cohort_size, summary.cohort_size
from summary
inner join retention
    on summary.cohort_month = retention.cohort_month
where summary.cohort_size <> retention.cohort_size
