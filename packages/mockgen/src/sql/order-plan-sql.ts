import { placeInDaySql } from './calendar-sql.js';
import type { PlanLookups } from './list-lookup.js';
import { eventMaskSql, lastChangeOfMaskSql, timelineCtes } from './order-timeline-sql.js';
import type { SqlContext } from './sql-context.js';

/**
 * Child rows take their id from their parent: line l of order o is o × 10 + l + 1, and the same
 * for status changes, payments, refunds and events (see CHILD_ID_SLOTS). Ids are unique and
 * stable across advance batches without a counter, and read like real sequences with gaps.
 */
export const ID_STRIDE = 10;

export interface OrderPlanParams {
  /** SQL for how many products exist when the order is placed (ids 1..n are for sale). */
  availableProductsSql: string;
  refundCustomerId: number;
  /** mg_products and mg_calendar as lists (createPlanLookups). */
  lookups: PlanLookups;
}

/** 4% of orders are paid part by gift card, part by card (decided by order id, like the fate). */
export function paymentSplitSql(seed: number): string {
  return `mg_u(${seed}, order_id, 307) < 0.04`;
}

/** A value list of 100 entries, so one hash % 100 picks a value with the given shares (in %). */
export function shareList(shares: readonly (readonly [string | number, number])[]): string {
  const out: string[] = [];
  for (const [value, percent] of shares)
    for (let i = 0; i < percent; i++) out.push(typeof value === 'string' ? `'${value}'` : String(value));
  if (out.length !== 100) throw new Error(`shares add up to ${out.length}, not 100`);
  return `[${out.join(', ')}]`;
}

export function paymentMethodSql(seed: number): string {
  const methods = shareList([
    ['credit_card', 62],
    ['paypal', 25],
    ['bank_transfer', 6],
    ['gift_card', 7],
  ]);
  return `${methods}[1 + mg_m(${seed}, order_id, 308, 100)::integer]`;
}

/** Lines per basket: 1–7, about 3 on average. */
export function nLinesSql(seed: number): string {
  const lines = shareList([
    [1, 22],
    [2, 22],
    [3, 20],
    [4, 15],
    [5, 10],
    [6, 6],
    [7, 5],
  ]);
  return `${lines}[1 + mg_m(${seed}, order_id, 301, 100)::integer]`;
}

/**
 * mg_order_stub for a full history: each customer's planned orders placed in time (the first
 * soon after signup, repeats spread over the customer's active window by the calendar's order
 * weight), numbered in time order so ids grow with ordered_at.
 */
export function historyOrderStubSql(ctx: SqlContext): string {
  const s = ctx.seed;
  return `
create or replace temp table mg_order_stub as
with expanded as (
  select customer_id, first_order_s, window_end_s, w_first, w_end, unnest(range(n_orders)) as k
  from mg_customer_plan
  where n_orders > 0
),
targeted as (
  select *, floor(w_first + mg_u2(${s}, customer_id, k, 201) * (w_end - w_first))::bigint as target
  from expanded
),
placed as (
  select
    t.customer_id,
    t.k,
    case when t.k = 0 then t.first_order_s
      else greatest(t.first_order_s + 60, least(t.window_end_s,
        ${placeInDaySql('c', '(t.target - c.order_cum_start) / greatest(1, c.order_weight)')}))
    end as ordered_s
  from targeted as t
  asof join mg_calendar as c on t.target >= c.order_cum_start
)
select
  row_number() over (order by ordered_s, customer_id, k) as order_id,
  customer_id,
  ordered_s,
  k = 0 as is_first_order
from placed;
`;
}

/**
 * mg_order_plan: everything about an order that does not need its lines' prices — fate and
 * timeline, basket size, main product, campaign, coupon, shipping tier, tax rate, whether the buyer logs in.
 */
export function orderPlanSql(ctx: SqlContext, p: OrderPlanParams): string {
  const s = ctx.seed;
  const E = ctx.endS;
  const mask = eventMaskSql(E);
  const cal = p.lookups.calendar;
  const prod = p.lookups.products;
  return `
create or replace temp table mg_order_plan as
-- lists, not joins on mg_calendar and mg_products: the plan is one parallel pass
with dated as (
  select *, (ordered_s - ${ctx.startS}) // 86400 as day_idx from mg_order_stub as st
),
based as (
  select
    st.order_id,
    st.customer_id,
    st.ordered_s,
    st.is_first_order,
    ${cal.at('month', 'st.day_idx')} as month,
    ${cal.at('active_campaigns', 'st.day_idx')} as active_campaigns,
    ${cal.at('n_active', 'st.day_idx')} as n_active,
    (${p.availableProductsSql})::bigint as avail
  from dated as st, ${cal.relation}
),
chosen as (
  select *, 1 + floor(avail * pow(mg_u2(${s}, order_id, 0, 310), 2.5))::bigint as main_product_id
  from based
),
categorised as (
  select
    ch.*,
    ${prod.at('lag_hours', 'ch.main_product_id')} as lag_hours,
    ${prod.at('is_apparel', 'ch.main_product_id')} as is_apparel
  from chosen as ch, ${prod.relation}
),
${timelineCtes('categorised', s, p.refundCustomerId)},
attributes as (
  -- one hash per attribute; a lookup list turns it into a value (a CASE would hash per branch)
  select
    * exclude (active_campaigns, n_active, month),
    ${mask} as event_mask,
    ${nLinesSql(s)} as n_lines,
    case when n_active > 0 and mg_u(${s}, order_id, 302) < 0.38
      then active_campaigns[1 + mg_m(${s}, order_id, 303, n_active)::integer] end as campaign_id,
    case when mg_u(${s}, order_id, 304) < 0.14 then
      case
        when is_first_order then 'WELCOME10'
        when month >= 11 then 'HOLIDAY20'
        else ['SAVE15', 'SAVE15', 'FREESHIP', 'VIP25'][1 + mg_m(${s}, order_id, 305, 4)::integer]
      end
    end as coupon_code,
    case when mg_u(${s}, order_id, 306) < 0.75 then 499 else 899 end as shipping_tier_cents,
    [0, 400, 600, 725, 825, 950][1 + mg_m(${s}, customer_id, 126, 6)::integer] as tax_bp,
    mg_u(${s}, order_id, 309) < 0.25 as has_login
  from timeline
),
counted as (
  select
    *,
    ${lastChangeOfMaskSql('event_mask')} as updated_s,
    case coupon_code when 'WELCOME10' then 10 when 'HOLIDAY20' then 20 when 'SAVE15' then 15 when 'VIP25' then 25 else 0 end as coupon_pct
  from attributes
)
-- only what later steps read: at scale 100 this table has 5M rows, in memory
select
  order_id, customer_id, ordered_s, is_cancelled, event_mask::integer as event_mask,
  processing_s, cancelled_s, shipped_s, delivered_s, returned_s, updated_s,
  n_lines::integer as n_lines, avail, main_product_id, is_apparel, campaign_id::integer as campaign_id,
  coupon_code, coupon_pct::integer as coupon_pct, shipping_tier_cents::integer as shipping_tier_cents,
  tax_bp::integer as tax_bp, has_login
from counted;
`;
}
