import { ID_STRIDE } from './order-plan-sql.js';
import { STATUS_STEPS, stepTimeSql } from './order-timeline-sql.js';
import { loadedAt, type SqlContext } from './sql-context.js';

const STATUS_LIST = `[${STATUS_STEPS.map((s) => `'${s}'`).join(', ')}]`;

/**
 * raw.order_status_history rows: one per bit of `event_mask`; the change to step i of order o
 * has id o × 10 + i + 1, so a change recorded by a later advance gets its id the same way.
 */
export function statusHistorySql(ctx: SqlContext): string {
  return `
with steps as (
  select
    order_id, event_mask, ordered_s, processing_s, cancelled_s, shipped_s, delivered_s, returned_s,
    unnest(range(6)) as step
  from mg_order_plan
),
kept as (
  select *, ${stepTimeSql('step')} as changed_s
  from steps
  where (event_mask >> step) & 1 = 1
)
select
  (order_id * ${ID_STRIDE} + step + 1)::bigint as id,
  order_id::bigint as order_id,
  ${STATUS_LIST}[step + 1] as status,
  mg_ts(changed_s) as changed_at,
  ${loadedAt(ctx, 'changed_s', 'order_id * 8 + step', 394)} as _loaded_at
from kept`;
}
