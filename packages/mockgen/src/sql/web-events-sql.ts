import { ID_STRIDE } from './order-plan-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/** A device cookie: 16 hex digits, stable for (seed, owner, device). */
function deviceId(seed: number, owner: string, device: string): string {
  return `lpad(to_hex(mg_h2(${seed}, ${owner}, ${device}, 900)), 16, '0')`;
}

export interface WebEventParams {
  /** SQL of `case campaign_id when … then '<utm_source>' end` (see utmSourceCase). */
  utmSource: (campaignExpr: string) => string;
}

/**
 * Purchase sessions, one per order in mg_order_plan: [login], 1–2 pageviews, add_to_cart,
 * purchase (at ordered_at), 30–420 s apart, so a 30-minute inactivity rule finds each session.
 * The landing event carries the order's campaign as utm tags. Ids: order_id × 10 + 1…5.
 */
export function purchaseSessionsSql(ctx: SqlContext, p: WebEventParams): string {
  const s = ctx.seed;
  return `
with sessions as (
  -- per-session values first: computed once, not once per event
  select
    order_id, customer_id, ordered_s, campaign_id, main_product_id, has_login, n_web_events,
    ${deviceId(s, 'customer_id', `mg_m(${s}, order_id, 350, 1 + mg_m(${s}, customer_id, 125, 3))`)} as anonymous_id,
    30 + mg_m(${s}, order_id, 351, 390) as gap_s,
    ${p.utmSource('campaign_id')} as session_utm_source,
    ${loadedAt(ctx, 'ordered_s', 'order_id', 396)} as loaded_at
  from mg_order_plan
),
events as (
  select *, unnest(range(n_web_events)) as j from sessions
),
typed as (
  select
    *,
    case
      when has_login and j = 0 then 'login'
      when j = n_web_events - 1 then 'purchase'
      when j = n_web_events - 2 then 'add_to_cart'
      else 'pageview'
    end as event_type
  from events
)
select
  (order_id * ${ID_STRIDE} + j + 1)::bigint as id,
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
  mg_ts(ordered_s - (n_web_events - 1 - j) * gap_s) as occurred_at,
  loaded_at as _loaded_at
from typed`;
}

/**
 * Signup sessions, one per customer in mg_customer_plan from `firstCustomerId` on (customers
 * who signed up before the history have none): an anonymous landing pageview, then the signup
 * event that identifies the customer. Ids: customer_id × 10 + 6…7.
 */
export function signupSessionsSql(ctx: SqlContext, p: WebEventParams, firstCustomerId: number): string {
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
  where customer_id >= ${firstCustomerId}
),
events as (
  select *, unnest(range(2)) as j from sessions
)
select
  (customer_id * ${ID_STRIDE} + 6 + j)::bigint as id,
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

export interface AnonymousSessionParams extends WebEventParams {
  count: number;
  /** Number of the batch's first session; sessions are numbered on across batches. */
  firstSession: number;
  /** Sessions are spread by the calendar's order weight over this cumulative range. */
  weightFrom: number;
  weightTo: number;
  /** Visitors come back: devices are drawn from a pool about half the number of sessions. */
  devicePool: number;
  products: number;
}

/**
 * Browsing sessions of visitors who never log in: a landing pageview (a third tagged by a
 * running campaign) and a product page. Ids: session × 10 + 8…9.
 */
export function anonymousSessionsSql(ctx: SqlContext, p: AnonymousSessionParams): string {
  const s = ctx.seed;
  const span = p.weightTo - p.weightFrom;
  return `
with positioned as (
  select
    range + ${p.firstSession} as session,
    (${p.weightFrom} + floor((range + mg_u(${s}, range + ${p.firstSession}, 360)) / ${p.count} * ${span}))::bigint as target
  from range(${p.count})
),
placed as (
  select
    x.session,
    c.day_s + mg_tod((x.target - c.order_cum_start) / c.order_weight) as start_s,
    case when c.n_active > 0 and mg_u(${s}, x.session, 361) < 0.35
      then c.active_campaigns[1 + mg_m(${s}, x.session, 362, c.n_active)::integer] end as campaign_id
  from positioned as x
  asof join mg_calendar as c on x.target >= c.order_cum_start
),
sessions as (
  select
    *,
    ${deviceId(s, `-1 - mg_m(${s}, session, 363, ${Math.max(1, p.devicePool)})`, '0')} as anonymous_id,
    20 + mg_m(${s}, session, 364, 300) as gap_s,
    ${p.utmSource('campaign_id')} as session_utm_source,
    '/products/' || (1 + floor(${p.products} * pow(mg_u(${s}, session, 365), 2.0)))::bigint::varchar as product_url,
    ${loadedAt(ctx, `least(${ctx.endS}, start_s + 300)`, 'session', 398)} as loaded_at
  from placed
),
events as (
  select *, unnest(range(2)) as j from sessions
)
select
  (session * ${ID_STRIDE} + 8 + j)::bigint as id,
  anonymous_id,
  null::bigint as customer_id,
  'pageview' as event_type,
  case when j = 0 then '/' else product_url end as page_url,
  case when j = 0 then session_utm_source end as utm_source,
  case when j = 0 then campaign_id::integer end as utm_campaign_id,
  mg_ts(least(${ctx.endS}, start_s + j * gap_s)) as occurred_at,
  loaded_at as _loaded_at
from events`;
}
