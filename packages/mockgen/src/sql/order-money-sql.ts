import { paymentMethodSql } from './order-plan-sql.js';
import { statusOfMaskSql } from './order-timeline-sql.js';
import { type SqlContext, loadedAt } from './sql-context.js';

/**
 * mg_order_money: each order's subtotal — the sum of its lines as written, so it always matches
 * raw.order_items — plus shipping (free over $50 or with FREESHIP), tax and total.
 */
export function orderMoneySql(itemsTable: string, itemsWhere: string): string {
  return `
create or replace temp table mg_order_money as
with totals as (
  select order_id, sum(line_total_cents)::bigint as subtotal_cents
  from ${itemsTable}
  where ${itemsWhere}
  group by order_id
),
charged as (
  select
    p.order_id,
    t.subtotal_cents,
    case when p.coupon_code = 'FREESHIP' or t.subtotal_cents >= 5000 then 0 else p.shipping_tier_cents end as shipping_cents,
    (t.subtotal_cents * p.tax_bp + 5000) // 10000 as tax_cents
  from mg_order_plan as p
  join totals as t using (order_id)
)
select *, subtotal_cents + shipping_cents + tax_cents as order_total_cents
from charged;
`;
}

/** The order plan with its money: the source of raw.orders, payments and refunds. */
export const PLAN_WITH_MONEY = `(select p.*, m.subtotal_cents, m.shipping_cents, m.tax_cents, m.order_total_cents
  from mg_order_plan as p join mg_order_money as m using (order_id))`;

/** raw.orders rows: the order as it stands at the as-of. */
export function ordersTableSql(ctx: SqlContext): string {
  const E = ctx.endS;
  return `
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
  order_total_cents::bigint as order_total_cents,
  mg_ts(updated_s) as updated_at,
  ${loadedAt(ctx, 'updated_s', 'order_id', 391)} as _loaded_at
from ${PLAN_WITH_MONEY}`;
}

/**
 * raw.payments rows from `source` (the plan with money, or the orders an advance just shipped):
 * captured at shipment; 4% of orders split a gift card and a card.
 */
export function paymentsSql(ctx: SqlContext, source = PLAN_WITH_MONEY): string {
  const s = ctx.seed;
  return `
with paid as (
  select
    order_id, payment_offset, shipped_s, is_split, ${paymentMethodSql(s)} as payment_method, order_total_cents,
    least(order_total_cents // 2, [1000, 2500, 5000][1 + mg_m(${s}, order_id, 320, 3)::integer]) as gift_cents,
    unnest(range(n_payments)) as k
  from ${source}
  where n_payments > 0
)
select
  (payment_offset + k + 1)::bigint as id,
  order_id::bigint as order_id,
  case when not is_split then payment_method when k = 0 then 'gift_card' else 'credit_card' end as payment_method,
  (case when not is_split then order_total_cents when k = 0 then gift_cents else order_total_cents - gift_cents end)::bigint as amount_cents,
  mg_ts(shipped_s + k) as paid_at,
  ${loadedAt(ctx, 'shipped_s', 'order_id', 392)} as _loaded_at
from paid`;
}

/**
 * raw.refunds rows for orders returned by `endS`: most refund goods and tax, a fifth only part of
 * the goods. Clothing comes back mostly for size.
 */
export function refundsSql(ctx: SqlContext, firstId: number, where: string, source = PLAN_WITH_MONEY): string {
  const s = ctx.seed;
  const E = ctx.endS;
  return `
with returned as (
  select
    *,
    least(${E}, returned_s + floor(mg_u(${s}, order_id, 330) * 129600)::bigint) as refunded_s
  from ${source}
  where returned_s <= ${E} and (${where})
)
select
  (${firstId} + row_number() over (order by order_id))::bigint as id,
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
