import type { createCalendarLookup } from './calendar-lookup.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/**
 * Web event ids: key × 100 + slot. The slot says what the key is — an order (0–39: its purchase
 * session, then up to three earlier visits of the buyer), a customer (40–41: the signup session)
 * or an anonymous session (50–52) — so ids are unique and stable across batches without a counter.
 */
export const WEB_ID_STRIDE = 100;
/** First slot of anonymous sessions: advance numbers them on from max(id // 100) of these. */
export const ANONYMOUS_SLOT = 50;

/**
 * The funnel. web_events is the clickstream of browsers that accepted analytics cookies: about
 * 15% of devices (decided per customer device, so a customer's tracked visits all come from
 * the same browsers). The orders of the other devices have no session, so the table stays a few
 * times the size of orders while every rate in it is a believable one: per tracked order,
 * ~1.5 earlier visits by the buyer and 26 anonymous visits give a session conversion of ~3.5%,
 * ~40% bounces (one-event sessions) and ~2/3 of carts abandoned.
 */
export const FUNNEL = {
  trackedDeviceShare: 0.15,
  anonymousSessionsPerTrackedOrder: 26,
  /** Anonymous visits: share that bounce, share that add to cart and leave; the rest browse. */
  anonymousBounceShare: 0.43,
  anonymousCartShare: 0.03,
} as const;

/** SQL for "this customer device is tracked" (device 0 is the one the customer signed up on). */
export function trackedDeviceSql(seed: number, customer: string, device: string): string {
  return `(mg_u2(${seed}, ${customer}, ${device}, 370) < ${FUNNEL.trackedDeviceShare})`;
}

/** The device an order is placed from: one of the customer's 1–3 devices. */
export function orderDeviceSql(seed: number): string {
  return `mg_m(${seed}, order_id, 350, 1 + mg_m(${seed}, customer_id, 125, 3))`;
}

/** Orders of mg_order_plan placed from a tracked device. */
export function trackedOrdersSql(seed: number): string {
  return `(select * from (select *, ${orderDeviceSql(seed)} as device_idx from mg_order_plan)
    where ${trackedDeviceSql(seed, 'customer_id', 'device_idx')})`;
}

/** A device cookie: 16 hex digits, stable for (seed, owner, device). */
function deviceId(seed: number, owner: string, device: string): string {
  return `lpad(to_hex(mg_h2(${seed}, ${owner}, ${device}, 900)), 16, '0')`;
}

export interface WebEventParams {
  /** SQL of `case campaign_id when … then '<utm_source>' end` (see utmSourceCase). */
  utmSource: (campaignExpr: string) => string;
  /** Relation with the customers' signup times (id, created_at): earlier visits never precede signup. */
  customersRelation: string;
}

/**
 * The buyers' sessions, for orders placed from a tracked device:
 * - the purchase session: [login], 1–2 pageviews, 1–3 add_to_carts (never more than the
 *   basket's lines), purchase at `ordered_at`; slots 0–6;
 * - 0–3 earlier visits from the same device in the two weeks before (after signup): 80% leave
 *   a cart behind (so a known customer abandons about half the carts), 12% browse, 8% bounce;
 *   slots 10–39.
 * Events are 30–420 s apart, so a 30-minute inactivity rule finds each session. The landing
 * event carries the order's campaign as utm tags.
 */
export function buyerSessionsSql(ctx: SqlContext, p: WebEventParams): string {
  const s = ctx.seed;
  return `
with orders as (
  select o.order_id, o.customer_id, o.ordered_s, o.campaign_id, o.main_product_id, o.has_login, o.n_lines, o.device_idx, c.created_s
  from ${trackedOrdersSql(s)} as o
  join (select id, mg_s(min(created_at)) as created_s from ${p.customersRelation} group by id) as c
    on c.id = o.customer_id
),
purchase_sessions as (
  select
    order_id, customer_id, campaign_id, main_product_id,
    0 as visit,
    ordered_s as end_s,
    has_login::integer as n_login,
    1 + (mg_u(${s}, order_id, 311) < 0.45)::integer as n_pageviews,
    least(n_lines, 1 + (mg_u(${s}, order_id, 372) < 0.4)::integer + (mg_u(${s}, order_id, 373) < 0.15)::integer) as n_carts,
    1 as n_purchases,
    device_idx,
    -- a first order can follow signup within minutes: its session does not start before it
    least(30 + mg_m(${s}, order_id, 351, 390), (ordered_s - created_s) // 7) as gap_s
  from orders
),
visits as (
  select o.*, r.j as q
  from (select *, mg_m(${s}, order_id, 374, 100) as m_visits from orders) as o
  -- 0–3 earlier visits, 1.6 on average
  join mg_repeat as r
    on r.n = (o.m_visits >= 20)::integer + (o.m_visits >= 45)::integer + (o.m_visits >= 75)::integer
),
visit_sessions as (
  select
    v.order_id, v.customer_id, null::integer as campaign_id, v.main_product_id,
    1 + v.q as visit,
    v.ordered_s - 3600 - mg_m2(${s}, v.order_id, v.q, 375, 14 * 86400) as end_s,
    0 as n_login,
    -- kind: 0–79 a cart left behind, 80–91 browsing, 92–99 a bounce
    case when k < 80 then 1 + (mg_u2(${s}, v.order_id, v.q, 377) < 0.3)::integer
      when k < 92 then 2 + (mg_u2(${s}, v.order_id, v.q, 377) < 0.3)::integer
      else 1 end as n_pageviews,
    (k < 80)::integer as n_carts,
    0 as n_purchases,
    v.device_idx,
    30 + mg_m2(${s}, v.order_id, v.q, 378, 390) as gap_s
  from (select *, mg_m2(${s}, order_id, q, 376, 100) as k from visits) as v
  where v.ordered_s - 3600 - mg_m2(${s}, v.order_id, v.q, 375, 14 * 86400) >= greatest(v.created_s + 3600, ${ctx.startS})
),
sessions as (
  select
    *,
    n_login + n_pageviews + n_carts + n_purchases as n_events,
    ${deviceId(s, 'customer_id', 'device_idx')} as anonymous_id,
    ${p.utmSource('campaign_id')} as session_utm_source,
    ${loadedAt(ctx, 'end_s', 'order_id * 4 + visit', 396)} as loaded_at
  from (select * from purchase_sessions union all select * from visit_sessions)
),
events as (
  select s.*, r.j from sessions as s join mg_repeat as r on r.n = s.n_events
),
typed as (
  select
    *,
    case
      when j < n_login then 'login'
      when j < n_login + n_pageviews then 'pageview'
      when j < n_login + n_pageviews + n_carts then 'add_to_cart'
      when n_purchases > 0 then 'purchase'
      else 'pageview'
    end as event_type
  from events
)
select
  (order_id * ${WEB_ID_STRIDE} + visit * 10 + j)::bigint as id,
  anonymous_id,
  customer_id::bigint as customer_id,
  event_type,
  case event_type
    when 'login' then '/account/login'
    when 'purchase' then '/checkout/confirmation'
    when 'add_to_cart' then '/cart'
    else case when j = 0 and campaign_id is not null then '/' else '/products/' || main_product_id::varchar end
  end as page_url,
  case when j = 0 then session_utm_source end as utm_source,
  case when j = 0 then campaign_id::integer end as utm_campaign_id,
  mg_ts(end_s - (n_events - 1 - j) * gap_s) as occurred_at,
  loaded_at as _loaded_at
from typed`;
}

/**
 * Signup sessions, one per customer in mg_customer_plan from `firstCustomerId` on (customers
 * who signed up before the history have none) whose signup device is tracked: an anonymous
 * landing pageview, then the signup event that identifies the customer. Slots 40–41.
 */
export function signupSessionsSql(
  ctx: SqlContext,
  p: Pick<WebEventParams, 'utmSource'>,
  firstCustomerId: number,
): string {
  const s = ctx.seed;
  return `
with sessions as (
  select
    customer_id, created_s, acq_campaign_id,
    ${deviceId(s, 'customer_id', '0')} as anonymous_id,
    40 + mg_m(${s}, customer_id, 352, 600) as gap_s,
    ${p.utmSource('acq_campaign_id')} as session_utm_source,
    ${loadedAt(ctx, 'created_s', 'customer_id', 397)} as loaded_at
  from mg_customer_plan
  where customer_id >= ${firstCustomerId} and ${trackedDeviceSql(s, 'customer_id', '0')}
),
events as (
  select s.*, r.j from sessions as s join mg_repeat as r on r.n = 2
)
select
  (customer_id * ${WEB_ID_STRIDE} + 40 + j)::bigint as id,
  anonymous_id,
  case when j = 1 then customer_id end::bigint as customer_id,
  case when j = 0 then 'pageview' else 'signup' end as event_type,
  case when j = 0 then '/' else '/account/signup' end as page_url,
  case when j = 0 then session_utm_source end as utm_source,
  case when j = 0 then acq_campaign_id::integer end as utm_campaign_id,
  mg_ts(created_s - (1 - j) * gap_s) as occurred_at,
  loaded_at as _loaded_at
from events`;
}

export interface AnonymousSessionParams extends Omit<WebEventParams, 'customersRelation'> {
  count: number;
  /** Number of the batch's first session; sessions are numbered on across batches. */
  firstSession: number;
  /** Sessions are spread by the calendar's order weight over this cumulative range. */
  weightFrom: number;
  weightTo: number;
  /** Visitors come back: devices are drawn from a pool about half the number of sessions. */
  devicePool: number;
  products: number;
  /** The calendar as lists (createCalendarLookup for weightFrom … weightTo): sessions are placed in time without a join. */
  calendar: Awaited<ReturnType<typeof createCalendarLookup>>;
  /**
   * A relation with a BIGINT column `i` holding 0 … count - 1 (at least): a temp table scans on
   * both cores, `range()` on one.
   */
  numbers: string;
}

/**
 * Visits of browsers that never log in (a third tagged by a running campaign): 43% bounce
 * (one pageview), 3% put a product in the cart and leave, the rest look at one or two
 * products. Slots 50–52.
 */
export function anonymousSessionsSql(ctx: SqlContext, p: AnonymousSessionParams): string {
  const s = ctx.seed;
  const span = p.weightTo - p.weightFrom;
  const bounce = Math.round(FUNNEL.anonymousBounceShare * 100);
  const cart = bounce + Math.round(FUNNEL.anonymousCartShare * 100);
  const cal = p.calendar;
  return `
with positioned as (
  select
    i + ${p.firstSession} as session,
    (${p.weightFrom} + floor((i + mg_u(${s}, i + ${p.firstSession}, 360)) / ${p.count} * ${span}))::bigint as target
  from ${p.numbers}
  where i < ${p.count}
),
bucketed as (
  select x.*, ${cal.firstPosition('x.target')} as first_pos from positioned as x, ${cal.relation}
),
dated as (
  select b.session, b.target, ${cal.position('b.first_pos', 'b.target')} as pos from bucketed as b, ${cal.relation}
),
-- the day found as by \`asof join mg_calendar as c on target >= c.order_cum_start\`, from lists
placed as (
  select
    session,
    (${cal.dayS('pos')} + mg_tod((target - ${cal.cumStart('pos')}) / greatest(1, ${cal.weight('pos')})) * ${cal.dayLen('pos')} // 86400) as start_s,
    case when ${cal.nActive('pos')} > 0 and mg_u(${s}, session, 361) < 0.35
      then ${cal.campaign('pos', `1 + mg_m(${s}, session, 362, ${cal.nActive('pos')})::integer`)} end as campaign_id
  from dated, ${cal.relation}
),
sessions as (
  select
    *,
    mg_m(${s}, session, 366, 100) as kind,
    case when kind < ${bounce} then 1 else 2 + (mg_u(${s}, session, 367) < 0.25)::integer end as n_events,
    ${deviceId(s, `-1 - mg_m(${s}, session, 363, ${Math.max(1, p.devicePool)})`, '0')} as anonymous_id,
    20 + mg_m(${s}, session, 364, 300) as gap_s,
    ${p.utmSource('campaign_id')} as session_utm_source,
    '/products/' || (1 + floor(${p.products} * pow(mg_u(${s}, session, 365), 2.0)))::bigint::varchar as product_url,
    ${loadedAt(ctx, `least(${ctx.endS}, start_s + 900)`, 'session', 398)} as loaded_at
  from placed
),
-- unnest, not a join on mg_repeat: the pipeline stays one parallel pass down to a batch insert
events as (
  select *, unnest(range(n_events)) as j from sessions
)
select
  (session * ${WEB_ID_STRIDE} + ${ANONYMOUS_SLOT} + j)::bigint as id,
  anonymous_id,
  null::bigint as customer_id,
  case when j = 1 and kind >= ${bounce} and kind < ${cart} then 'add_to_cart' else 'pageview' end as event_type,
  case when j = 0 then case when campaign_id is null then product_url else '/' end
    when j = 1 and kind >= ${bounce} and kind < ${cart} then '/cart'
    else product_url end as page_url,
  case when j = 0 then session_utm_source end as utm_source,
  case when j = 0 then campaign_id::integer end as utm_campaign_id,
  mg_ts(least(${ctx.endS}, start_s + j * gap_s)) as occurred_at,
  loaded_at as _loaded_at
from events`;
}
