-- Rule: a campaign ends on or after the day it starts.

select campaign_id, start_date, end_date
from {{ ref('stg_seeds__campaigns') }}
where end_date < start_date
