import { EMAIL_DOMAINS } from '../reference/catalog-words.js';
import type { ReferenceSizes } from '../reference/reference-sql.js';
import { placeInDaySql } from './calendar-sql.js';
import { loadedAt, type SqlContext, sqlString } from './sql-context.js';

export interface CustomerBatchParams {
  firstId: number;
  count: number;
  /** Signups are placed by inverse CDF over this range of the calendar's cumulative signup weight. */
  signupWeightFrom: number;
  signupWeightTo: number;
  sizes: ReferenceSizes;
  /**
   * 'history': spread `ordersTotal` orders over all customers (Pareto propensity × active window).
   * 'batch': new customers of an advance place at most their first order.
   */
  mode:
    | {
        kind: 'history';
        ordersTotal: number;
        forcedNoOrderId: number;
        legacyCount: number;
        forcedMoverId: number;
      }
    | { kind: 'batch' };
}

const DOMAINS = `[${EMAIL_DOMAINS.map(sqlString).join(', ')}]`;

/**
 * mg_customer_plan: one row per customer with the raw attributes and the order plan
 * (how many orders, when the first one is, until when the customer stays active).
 */
export function customerPlanSql(ctx: SqlContext, p: CustomerBatchParams): string {
  const s = ctx.seed;
  const E = ctx.endS;
  const span = p.signupWeightTo - p.signupWeightFrom;
  const history = p.mode.kind === 'history';
  const legacy = p.mode.kind === 'history' ? p.mode.legacyCount : 0;
  const firstNew = p.firstId + legacy;
  const newCount = Math.max(1, p.count - legacy);
  return `
create or replace temp table mg_customer_plan as
with ids as (
  select range + ${p.firstId} as customer_id from range(${p.count})
),
positioned as (
  -- stratified: customer i lands in the i-th slice of the signup weight, so ids follow signup time
  select
    customer_id,
    (${p.signupWeightFrom} + floor((customer_id - ${firstNew} + mg_u(${s}, customer_id, 101)) / ${newCount} * ${span}))::bigint as target
  from ids
  where customer_id >= ${firstNew}
),
placed as (
  select
    p.customer_id,
    least(${E}, ${placeInDaySql('c', `mg_u(${s}, p.customer_id, 102)`)}) as created_s,
    c.active_campaigns,
    c.n_active
  from positioned as p
  asof join mg_calendar as c on p.target >= c.signup_cum_start
  union all
  -- the shop existed before the history starts: its existing customers signed up over the two
  -- years before, evenly, and keep ordering
  select
    customer_id,
    ${ctx.startS} - floor((1 - (customer_id - ${p.firstId} + mg_u(${s}, customer_id, 101)) / ${Math.max(1, legacy)}) * 730 * 86400)::bigint,
    []::integer[],
    0
  from ids
  where customer_id < ${firstNew}
),
drawn as (
  select
    *,
    mg_h(${s}, customer_id, 103) as h_who,
    mg_h(${s}, customer_id, 104) as h_where,
    -- campaign-driven acquisition: most signups come through a campaign running that day
    case when n_active > 0 and mg_u(${s}, customer_id, 105) < 0.62
      then active_campaigns[1 + mg_m(${s}, customer_id, 106, n_active)::integer] end as acq_campaign_id,
    (mg_u(${s}, customer_id, 107) < 0.04 or customer_id = ${p.mode.kind === 'history' ? p.mode.forcedMoverId : 0})
      and created_s < ${E} - 60 * 86400 as is_mover,
    mg_u(${s}, customer_id, 108) < 0.06 and created_s < ${E} - 30 * 86400 as toggled_opt_in,
    mg_u(${s}, customer_id, 109) as u_opt_in
  from placed
),
placed_home as (
  select
    d.*,
    (d.h_where % ${p.sizes.places})::bigint as place_idx,
    case when d.is_mover then ((d.h_where >> 20) % ${p.sizes.places})::bigint end as raw_origin_idx,
    case when d.is_mover
      then d.created_s + 30 * 86400 + floor(mg_u(${s}, d.customer_id, 110) * (${E} - d.created_s - 31 * 86400))::bigint end as moved_s,
    case when d.toggled_opt_in
      then d.created_s + floor(mg_u(${s}, d.customer_id, 111) * (${E} - d.created_s))::bigint end as opt_in_changed_s,
    -- the channel that brought the customer in (opt-in is likelier by email); raw.customers
    -- records the first-touch channel, see customersTableSql
    camp.channel as acquiring_channel
  from drawn as d
  left join mg_campaigns as camp on camp.campaign_id = d.acq_campaign_id
),
named as (
  -- names, email, phone and place are spelled out only when raw.customers is written
  select
    * exclude (active_campaigns, n_active, raw_origin_idx, u_opt_in),
    -- a mover's origin differs from where they live now
    case when is_mover then
      case when raw_origin_idx = place_idx then (place_idx + 1) % ${p.sizes.places} else raw_origin_idx end
    end as origin_idx,
    (u_opt_in < case when acquiring_channel = 'email' then 0.85 else 0.5 end) <> toggled_opt_in as marketing_opt_in
  from placed_home
),
buyers as (
  select
    *,
    greatest(created_s, coalesce(moved_s, 0), coalesce(opt_in_changed_s, 0)) as updated_s,
    ${history ? `mg_u(${s}, customer_id, 120) < 0.12 or customer_id = ${p.mode.kind === 'history' ? p.mode.forcedNoOrderId : 0}` : `mg_u(${s}, customer_id, 120) < 0.12`} as never_buys,
    -- Pareto (alpha 1.5) purchase propensity: a few customers buy very often
    least(8.0, pow(1 - mg_u(${s}, customer_id, 121), -1 / 1.5)) as propensity,
    mg_u(${s}, customer_id, 122) < 0.28 as one_and_done,
    case when created_s < ${ctx.startS}
      then ${ctx.startS} + floor(-ln(1 - mg_u(${s}, customer_id, 123)) * 60 * 86400)::bigint
      else created_s + floor(-ln(1 - mg_u(${s}, customer_id, 123)) * 72000)::bigint
    end as first_order_raw_s,
    -ln(1 - mg_u(${s}, customer_id, 124)) as life_draw,
    1 + mg_m(${s}, customer_id, 125, 3) as n_devices
  from named
),
first_ordered as (
  select
    * exclude (first_order_raw_s),
    -- a first order always falls inside the history
    case when first_order_raw_s <= ${E} then first_order_raw_s
      else greatest(created_s, ${ctx.startS}) + floor((${E} - greatest(created_s, ${ctx.startS})) * mg_u(${s}, customer_id, 127))::bigint
    end as first_order_s
  from buyers
),
windowed as (
  select
    *,
    least(${E}, first_order_s + case
      when one_and_done then 7 * 86400
      else floor(life_draw * 86400 * 400 * (0.5 + 0.125 * least(propensity, 4)))::bigint
    end) as window_end_s
  from first_ordered
)${
    history
      ? `,
weighted as (
  select
    w.*,
    -- repeat orders are shared out in proportion to propensity × days active
    case when w.never_buys or w.one_and_done then 0
      else round(1000 * w.propensity * (0.5 + mg_u(${s}, w.customer_id, 128))
        * (w.window_end_s - w.first_order_s) / 86400.0 / 45)::bigint end as repeat_weight,
    cf.order_cum_start + cf.order_weight * ((w.first_order_s - cf.day_s) / 86400.0) as w_first,
    ce.order_cum_start + ce.order_weight * ((w.window_end_s - ce.day_s) / 86400.0) as w_end
  from windowed as w
  join mg_calendar as cf on cf.day_idx = (w.first_order_s - ${ctx.startS}) // 86400
  join mg_calendar as ce on ce.day_idx = (w.window_end_s - ${ctx.startS}) // 86400
),
weights as materialized (
  select * from weighted
),
totals as (
  select
    greatest(1, sum(repeat_weight))::hugeint as total_weight,
    greatest(0, ${p.mode.kind === 'history' ? p.mode.ordersTotal : 0} - count(*) filter (where not never_buys))::hugeint as repeats_total
  from weights
),
running as (
  -- narrow: a window sorts every column it carries
  select customer_id, (sum(repeat_weight) over (order by customer_id rows between unbounded preceding and current row))::hugeint as cum_weight
  from weights
)
-- every buyer has a first order; the remaining orders go out exactly: customer i gets
-- floor(R * cum_i / total) - floor(R * cum_(i-1) / total) repeats
select
  w.*,
  case when w.never_buys then 0 else 1 + ((t.repeats_total * r.cum_weight) // t.total_weight
    - (t.repeats_total * (r.cum_weight - w.repeat_weight)) // t.total_weight)::bigint end as n_orders
from weights as w
join running as r using (customer_id)
cross join totals as t;`
      : `
select
  *,
  0.0 as w_first,
  0.0 as w_end,
  case when not never_buys and first_order_s <= ${E} then 1 else 0 end as n_orders
from windowed;`
  }
`;
}

/**
 * raw.customers from the plan: names, email, phone and place spelled out from the dictionaries.
 * The acquisition channel is the one attribution finds: the channel of the customer's first
 * touch in mg_touches at or before their first order (any touch for a customer who never
 * ordered); `direct` when no touch comes first. So first-touch attribution and the recorded
 * channel tell one story, and every first order can be attributed.
 */
export function customersTableSql(ctx: SqlContext, sizes: ReferenceSizes): string {
  return `
with first_touch as (
  select t.customer_id, arg_min(t.channel, (t.touched_at, t.id)) as channel
  from mg_touches as t
  join mg_customer_plan as h on h.customer_id = t.customer_id
  where h.n_orders = 0 or t.touched_at <= mg_ts(h.first_order_s)
  group by t.customer_id
)
select
  h.customer_id::bigint as id,
  fn.name as first_name,
  ln.name as last_name,
  case (h.h_who >> 32) % 3
    when 0 then fn.token || '.' || ln.token
    when 1 then fn.token || ln.token
    else left(fn.token, 1) || ln.token
  end || h.customer_id::varchar || '@' || ${DOMAINS}[1 + ((h.h_who >> 36) % ${EMAIL_DOMAINS.length})::integer] as email,
  pl.dial_code || ' ' || (201 + ((h.h_where >> 8) % 790)::bigint)::varchar || ' 555 '
    || lpad(((h.h_where >> 40) % 10000)::varchar, 4, '0') as phone,
  mg_ts(h.created_s) as created_at,
  pl.country,
  pl.state,
  pl.city,
  coalesce(ft.channel, 'direct') as acquisition_channel,
  h.marketing_opt_in,
  mg_ts(h.updated_s) as updated_at,
  ${loadedAt(ctx, 'h.updated_s', 'h.customer_id', 190)} as _loaded_at
from mg_customer_plan as h
join mg_first_names as fn on fn.idx = (h.h_who % ${sizes.firstNames})::integer
join mg_last_names as ln on ln.idx = ((h.h_who >> 16) % ${sizes.lastNames})::integer
join mg_places as pl on pl.idx = h.place_idx
left join first_touch as ft on ft.customer_id = h.customer_id`;
}
