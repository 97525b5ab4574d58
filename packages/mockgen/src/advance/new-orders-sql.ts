import { placeInDaySql } from '../sql/calendar-sql.js';
import type { SqlContext } from '../sql/sql-context.js';

export interface NewOrdersParams {
  batchSeed: number;
  /** Repeat orders by existing customers in this batch. */
  repeatOrders: number;
  /** Cumulative order weight range of the batch's days. */
  weightFrom: number;
  weightTo: number;
  previousEndS: number;
  maxOrderId: number;
  /** Share of repeat orders that arrive late, dated up to 3 days before the previous batch. */
  lateShare: number;
}

/**
 * mg_order_stub for a batch: the first orders of the batch's new customers, plus repeat orders
 * from customers who bought in the year before, weighted by how often they bought (so the
 * Pareto shape holds). Edge-case customers are left alone. New ids follow the last one.
 */
export function batchOrderStubSql(ctx: SqlContext, p: NewOrdersParams): string {
  const t = ctx.schema;
  const b = ctx.batch;
  const bs = p.batchSeed;
  const span = p.weightTo - p.weightFrom;
  return `
create or replace temp table mg_order_stub as
with pool as (
  select customer_id, count(*) as weight, mg_s(max(ordered_at)) as last_ordered_s
  from ${t}.orders
  where ordered_at > mg_ts(${p.previousEndS - 365 * 86400}) and ordered_at <= mg_ts(${p.previousEndS})
    and customer_id in (select id from ${t}.customers)
    and customer_id not in (select row_id from ${t}._mockgen_edge_cases where table_name = 'customers' and edge_case <> 'customer_moved')
  group by customer_id
),
cumulative as (
  select customer_id, last_ordered_s, (sum(weight) over (order by customer_id) - weight)::bigint as cum_start
  from pool
),
draws as (
  select
    range as i,
    floor(mg_u2(${bs}, range, ${b}, 701) * (select sum(weight) from pool))::bigint as pick,
    (${p.weightFrom} + floor((range + mg_u2(${bs}, range, ${b}, 702)) / ${Math.max(1, p.repeatOrders)} * ${span}))::bigint as target
  from range(${p.repeatOrders})
),
chosen as (
  select d.i, d.target, c.customer_id, c.last_ordered_s
  from draws as d
  asof join cumulative as c on d.pick >= c.cum_start
),
timed as (
  select
    x.i,
    x.customer_id,
    -- late-arriving (always at least one per batch): placed before the previous batch, delivered
    -- to the warehouse only now; never before the customer's latest order, so a customer's
    -- first order (and the touches that lead to it) stays what it was
    case when x.i = 0 or mg_u2(${bs}, x.i, ${b}, 703) < ${p.lateShare}
      then greatest(${p.previousEndS} - mg_m2(${bs}, x.i, ${b}, 704, 3 * 86400), least(${p.previousEndS}, x.last_ordered_s + 60))
      else ${placeInDaySql('c', '(x.target - c.order_cum_start) / greatest(1, c.order_weight)')}
    end as ordered_s,
    false as is_first_order
  from chosen as x
  asof join mg_calendar as c on x.target >= c.order_cum_start
),
firsts as (
  select -customer_id as i, customer_id, first_order_s as ordered_s, true as is_first_order
  from mg_customer_plan
  where n_orders > 0
),
placed as (
  select * from timed
  union all
  select * from firsts
)
select
  ${p.maxOrderId} + row_number() over (order by ordered_s, customer_id, i) as order_id,
  customer_id,
  ordered_s,
  is_first_order
from placed;
`;
}
