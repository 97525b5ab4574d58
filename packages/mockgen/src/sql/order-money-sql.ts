import { ID_STRIDE, paymentMethodSql, paymentSplitSql } from './order-plan-sql.js';
import { statusOfMaskSql } from './order-timeline-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

/**
 * raw.orders rows: the plan plus money. The subtotal is the sum of the order's lines as written
 * (so it always matches raw.order_items); shipping is free over $50 or with FREESHIP.
 */
export function ordersTableSql(ctx: SqlContext, itemsTable: string, itemsWhere: string): string {
  const E = ctx.endS;
  return `
with totals as (
  select order_id, sum(line_total_cents)::bigint as subtotal_cents
  from ${itemsTable}
  where ${itemsWhere}
  group by order_id
),
charged as (
  select
    p.*,
    t.subtotal_cents,
    case when p.coupon_code = 'FREESHIP' or t.subtotal_cents >= 5000 then 0 else p.shipping_tier_cents end as shipping_cents,
    (t.subtotal_cents * p.tax_bp + 5000) // 10000 as tax_cents
  from mg_order_plan as p
  join totals as t using (order_id)
)
select
  order_id::bigint as id,
  customer_id::bigint as customer_id,
  mg_ts(ordered_s) as ordered_at,
  ${statusOfMaskSql('event_mask')} as status,
  case when shipped_s <= ${E} then mg_ts(shipped_s) end as shipped_at,
  case when delivered_s <= ${E} then mg_ts(delivered_s) end as delivered_at,
  campaign_id::integer as campaign_id,
  coupon_code,
  subtotal_cents::bigint as subtotal_cents,
  shipping_cents::bigint as shipping_cents,
  tax_cents::bigint as tax_cents,
  (subtotal_cents + shipping_cents + tax_cents)::bigint as order_total_cents,
  mg_ts(updated_s) as updated_at,
  ${loadedAt(ctx, 'updated_s', 'order_id', 391)} as _loaded_at
from charged`;
}

/** Shipped orders of raw.orders as the payments source: order_id, shipped_s, order_total_cents. */
export function shippedOrdersSql(ordersTable: string, where: string): string {
  return `(select id as order_id, mg_s(shipped_at) as shipped_s, order_total_cents
    from ${ordersTable} where shipped_at is not null and ${where})`;
}

/**
 * raw.payments rows from `source` (order_id, shipped_s, order_total_cents): captured at
 * shipment; 4% of orders split a gift card and a card. Ids: order_id × 10 + 1 (+ 2).
 */
export function paymentsSql(ctx: SqlContext, source: string): string {
  const s = ctx.seed;
  return `
with shipped as (
  select
    order_id, shipped_s, order_total_cents,
    ${paymentSplitSql(s)} as is_split,
    ${paymentMethodSql(s)} as payment_method,
    least(order_total_cents // 2, [1000, 2500, 5000][1 + mg_m(${s}, order_id, 320, 3)::integer]) as gift_cents,
    ${loadedAt(ctx, 'shipped_s', 'order_id', 392)} as loaded_at
  from ${source}
),
-- unnest, not a join on mg_repeat: a batch insert on both cores
paid as (
  select *, unnest(range(1 + is_split::integer)) as k from shipped
)
select
  (order_id * ${ID_STRIDE} + k + 1)::bigint as id,
  order_id::bigint as order_id,
  case when not is_split then payment_method when k = 0 then 'gift_card' else 'credit_card' end as payment_method,
  (case when not is_split then order_total_cents when k = 0 then gift_cents else order_total_cents - gift_cents end)::bigint as amount_cents,
  mg_ts(shipped_s + k) as paid_at,
  loaded_at as _loaded_at
from paid`;
}

/** Returned orders of the plan with their money, as the refunds source. */
export function returnedOrdersSql(ctx: SqlContext, ordersTable: string): string {
  return `(select p.order_id, p.returned_s, p.is_apparel, o.order_total_cents, o.shipping_cents, o.subtotal_cents
    from mg_order_plan as p join ${ordersTable} as o on o.id = p.order_id
    where p.returned_s <= ${ctx.endS})`;
}

/**
 * raw.refunds rows from `source` (order_id, returned_s, is_apparel and the order's money): most
 * refund goods and tax, a fifth only part of the goods; clothing comes back mostly for size.
 * One refund per order, id order_id × 10 + 1.
 */
export function refundsSql(ctx: SqlContext, source: string): string {
  const s = ctx.seed;
  const E = ctx.endS;
  return `
with returned as (
  select *, least(${E}, returned_s + floor(mg_u(${s}, order_id, 330) * 129600)::bigint) as refunded_s
  from ${source}
)
select
  (order_id * ${ID_STRIDE} + 1)::bigint as id,
  order_id::bigint as order_id,
  (case when mg_u(${s}, order_id, 331) < 0.8 then order_total_cents - shipping_cents
    else greatest(1, subtotal_cents * (30 + mg_m(${s}, order_id, 332, 60)) // 100) end)::bigint as amount_cents,
  mg_ts(refunded_s) as refunded_at,
  case
    when is_apparel and mg_u(${s}, order_id, 333) < 0.55 then 'wrong_size'
    else ['damaged', 'not_as_described', 'changed_mind', 'arrived_late', 'wrong_item'][1 + mg_m(${s}, order_id, 334, 5)::integer]
  end as reason,
  ${loadedAt(ctx, 'refunded_s', 'order_id', 393)} as _loaded_at
from returned`;
}
