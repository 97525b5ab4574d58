import { ID_STRIDE } from '../sql/order-plan-sql.js';
import {
  eventMaskSql,
  STATUS_STEPS,
  statusOfMaskSql,
  stepOfStatusSql,
  stepTimeSql,
  timelineCtes,
} from '../sql/order-timeline-sql.js';
import { loadedAt, type SqlContext } from '../sql/sql-context.js';

const STATUS_LIST = `[${STATUS_STEPS.map((s) => `'${s}'`).join(', ')}]`;

/** Orders that can still change: not final, or delivered recently enough to be returned. */
const RETURN_WINDOW_DAYS = 40;

/**
 * mg_transitions: open orders whose recomputed plan has a later status by the new as-of.
 * `adj_*_s` are the change times actually recorded: the plan time, but never before the
 * order's last recorded change (the plan may have shifted if its product changed category).
 */
export function transitionsSql(ctx: SqlContext, previousEndS: number, refundCustomerId: number): string {
  const t = ctx.schema;
  const adj = (step: number) => `greatest(${stepTimeSql(String(step))}, prev_updated_s + ${step})`;
  return `
create or replace temp table mg_transition_input as
with open_orders as (
  select distinct on (id)
    id as order_id, customer_id, mg_s(ordered_at) as ordered_s, status, mg_s(updated_at) as prev_updated_s,
    subtotal_cents, shipping_cents, order_total_cents
  from ${t}.orders
  where status in ('pending', 'processing', 'shipped')
    or (status = 'delivered' and delivered_at > mg_ts(${previousEndS - RETURN_WINDOW_DAYS * 86400}))
  order by id, updated_at desc
),
main_lines as (
  select order_id, arg_min(product_id, id) as main_product_id
  from ${t}.order_items
  where order_id in (select order_id from open_orders)
  group by order_id
)
select o.*, coalesce(p.lag_hours, 48) as lag_hours, coalesce(p.is_apparel, false) as is_apparel
from open_orders as o
left join main_lines as m using (order_id)
left join mg_products as p on p.id = m.main_product_id;

create or replace temp table mg_transitions as
with ${timelineCtes('mg_transition_input', ctx.seed, refundCustomerId)},
masked as (
  select *, ${eventMaskSql(ctx.endS)} as new_mask, ${stepOfStatusSql('status')} as old_step
  from timeline
)
select
  *,
  ${statusOfMaskSql('new_mask')} as new_status,
  ${adj(3)} as adj_shipped_s,
  ${adj(4)} as adj_delivered_s,
  ${adj(5)} as adj_returned_s,
  case
    when new_mask & 32 <> 0 then ${adj(5)} when new_mask & 16 <> 0 then ${adj(4)}
    when new_mask & 8 <> 0 then ${adj(3)} when new_mask & 4 <> 0 then ${adj(2)}
    else ${adj(1)} end as adj_updated_s
from masked
where new_mask >> (old_step + 1) > 0;
`;
}

/** History rows for the new changes; the change to step i of order o has id o × 10 + i + 1. */
export function transitionHistorySql(ctx: SqlContext): string {
  return `
with steps as (
  select *, unnest(range(6)) as step from mg_transitions
),
changes as (
  select order_id, step, greatest(${stepTimeSql('step')}, prev_updated_s + step) as changed_s
  from steps
  where step > old_step and (new_mask >> step) & 1 = 1
)
select
  (order_id * ${ID_STRIDE} + step + 1)::bigint as id,
  order_id::bigint as order_id,
  ${STATUS_LIST}[step + 1] as status,
  mg_ts(changed_s) as changed_at,
  ${loadedAt(ctx, 'changed_s', 'order_id * 8 + step', 494)} as _loaded_at
from changes`;
}

/** Moves the orders' header to the new status. */
export function transitionOrdersUpdateSql(ctx: SqlContext): string {
  return `
update ${ctx.schema}.orders as o
set
  status = t.new_status,
  shipped_at = case when t.old_step < 3 and t.new_mask & 8 <> 0 then mg_ts(t.adj_shipped_s) else o.shipped_at end,
  delivered_at = case when t.old_step < 4 and t.new_mask & 16 <> 0 then mg_ts(t.adj_delivered_s) else o.delivered_at end,
  updated_at = mg_ts(t.adj_updated_s),
  _loaded_at = ${loadedAt(ctx, 't.adj_updated_s', 't.order_id', 491)}
from mg_transitions as t
where o.id = t.order_id;
`;
}

/**
 * mg_transition_payments / mg_transition_refunds: the sources of paymentsSql and refundsSql for
 * orders that shipped or came back in this batch.
 */
export function transitionMoneySql(): string {
  return `
create or replace temp table mg_transition_payments as
select order_id, adj_shipped_s as shipped_s, order_total_cents
from mg_transitions
where old_step < 3 and new_mask & 8 <> 0;

create or replace temp table mg_transition_refunds as
select order_id, adj_returned_s as returned_s, order_total_cents, shipping_cents, subtotal_cents, is_apparel
from mg_transitions
where old_step < 5 and new_mask & 32 <> 0;
`;
}
