import { ID_STRIDE } from './order-plan-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/**
 * raw.marketing_touches rows. Two kinds of journeys, so first-touch, last-touch and linear
 * attribution disagree:
 * - acquisition: 1–3 touches before signup, the last by the acquiring campaign;
 * - purchase: for orders credited to a campaign, a touch by it shortly before the order and
 *   sometimes an earlier touch by another campaign running then.
 * Every touch falls inside its campaign's flight dates. Ids: customer_id × 10 + 1…3 for
 * acquisition journeys, order_id × 10 + 4…5 for purchase journeys.
 */
export function marketingTouchesSql(ctx: SqlContext): string {
  const s = ctx.seed;
  const b = ctx.batch;
  return `
with acquisition as (
  select p.customer_id, p.acq_campaign_id, p.created_s, r.j
  from mg_customer_plan as p
  join mg_repeat as r
    on r.n = 1 + (mg_u(${s}, p.customer_id, 140) < 0.5)::integer + (mg_u(${s}, p.customer_id, 141) < 0.2)::integer
  where p.acq_campaign_id is not null
),
acquisition_timed as (
  select
    customer_id,
    1 + j as id_slot,
    1 as journey,
    customer_id as journey_key,
    j,
    case when j = 0 then acq_campaign_id end as known_campaign_id,
    case when j = 0 then created_s - 300 - floor(mg_u2(${s}, customer_id, j, 142) * 21600)::bigint
      else created_s - j * 86400 * (1 + mg_m2(${s}, customer_id, j, 143, 9)) - mg_m2(${s}, customer_id, j, 144, 86400)
    end as touched_s
  from acquisition
),
purchase as (
  select p.customer_id, p.order_id, p.campaign_id, p.ordered_s, r.j
  from mg_order_plan as p
  join mg_repeat as r on r.n = 1 + (mg_u(${s}, p.order_id, 340) < 0.45)::integer
  where p.campaign_id is not null
),
purchase_timed as (
  select
    customer_id,
    4 + j as id_slot,
    2 as journey,
    order_id as journey_key,
    j,
    case when j = 0 then campaign_id end as known_campaign_id,
    case when j = 0 then ordered_s - 120 - floor(mg_u2(${s}, order_id, j, 341) * 43200)::bigint
      else ordered_s - 86400 * (1 + mg_m2(${s}, order_id, j, 342, 10)) - mg_m2(${s}, order_id, j, 343, 86400)
    end as touched_s
  from purchase
),
touches as (
  select * from acquisition_timed
  union all
  select * from purchase_timed
),
campaigned as (
  -- earlier touches come from a campaign running on their day; none running, no touch
  select
    t.customer_id,
    t.id_slot,
    t.journey,
    t.journey_key,
    t.j,
    coalesce(t.known_campaign_id,
      case when c.n_active > 0
        then c.active_campaigns[1 + mg_m2(${s}, t.journey_key, t.j * 2 + t.journey, ${345 + b * 16}, c.n_active)::integer] end
    ) as campaign_id,
    t.touched_s
  from touches as t
  left join mg_calendar as c
    on c.day_idx = case when t.touched_s >= ${ctx.startS} then (t.touched_s - ${ctx.startS}) // 86400 else -1 end
),
flighted as (
  select
    x.customer_id, x.id_slot, x.journey, x.journey_key, x.j, x.campaign_id, m.channel,
    -- a touch just after midnight may precede a campaign that started that day
    greatest(x.touched_s, epoch(m.start_date)::bigint) as touched_s
  from campaigned as x
  join mg_campaigns as m on m.campaign_id = x.campaign_id
)
select
  (journey_key * ${ID_STRIDE} + id_slot)::bigint as id,
  customer_id::bigint as customer_id,
  campaign_id::integer as campaign_id,
  channel,
  mg_ts(touched_s) as touched_at,
  ${loadedAt(ctx, 'touched_s', 'journey_key * 8 + j * 2 + journey', 395)} as _loaded_at
from flighted`;
}
