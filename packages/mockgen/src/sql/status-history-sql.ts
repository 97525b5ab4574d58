import { type SqlContext, loadedAt } from './sql-context.js';
import { STATUS_STEPS, stepTimeSql } from './order-timeline-sql.js';

const STATUS_LIST = `[${STATUS_STEPS.map((s) => `'${s}'`).join(', ')}]`;

/**
 * raw.order_status_history rows: one per bit of `event_mask`. A change's id is the order's
 * history offset plus its rank among the order's changes (bit_count of the lower bits), so
 * ids need no sort.
 */
export function statusHistorySql(ctx: SqlContext): string {
  return `
with steps as (
  select
    order_id, history_offset, event_mask, ordered_s, processing_s, cancelled_s, shipped_s, delivered_s, returned_s,
    unnest(range(6)) as step
  from mg_order_plan
),
kept as (
  select *, ${stepTimeSql('step')} as changed_s
  from steps
  where (event_mask >> step) & 1 = 1
)
select
  (history_offset + bit_count(event_mask & ((2 << step) - 1)))::bigint as id,
  order_id::bigint as order_id,
  ${STATUS_LIST}[step + 1] as status,
  mg_ts(changed_s) as changed_at,
  ${loadedAt(ctx, 'changed_s', 'order_id * 8 + step', 394)} as _loaded_at
from kept`;
}
