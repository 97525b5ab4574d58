/**
 * An order's life is decided once, from its id: whether it will be cancelled or returned and when
 * each status change happens. Its status on any day is the last planned change on or before that
 * day. `advance` recomputes the same plan, so statuses only ever move forward.
 */

/** Status changes in the order they can happen; the step index is a bit in `event_mask`. */
export const STATUS_STEPS = [
  'pending',
  'processing',
  'cancelled',
  'shipped',
  'delivered',
  'returned',
] as const;

/**
 * Two CTEs, `flagged` and `timed`, over `input` (which needs order_id, customer_id, ordered_s
 * and lag_hours): the fate of each order and the epoch second of each planned change
 * (null when it never happens).
 */
export function timelineCtes(input: string, seed: number, refundCustomerId: number): string {
  const s = seed;
  return `fated as (
  select *, mg_m(${s}, order_id, 401, 1000) as fate_draw
  from ${input}
),
flagged as (
  select
    *,
    -- 5% cancelled, 8.8% of the rest returned; the all-refunded customer (an edge case) has
    -- every order returned
    fate_draw < 50 and customer_id <> ${refundCustomerId} as is_cancelled,
    fate_draw >= 50 and fate_draw < 50 + 84 or customer_id = ${refundCustomerId} as is_returned
  from fated
),
timed as (
  select
    *,
    ordered_s + 600 + floor(mg_u(${s}, order_id, 403) * 14400)::bigint as processing_s,
    case when is_cancelled then ordered_s + 1800 + floor(mg_u(${s}, order_id, 404) * 72000)::bigint end as cancelled_s,
    -- fulfilment lag depends on the category of the order's main product
    case when not is_cancelled
      then ordered_s + 7200 + floor(3600 * lag_hours * (0.5 + mg_u(${s}, order_id, 405)))::bigint end as shipped_s
  from flagged
),
delivered as (
  select *, shipped_s + 86400 + floor(mg_u(${s}, order_id, 406) * 432000)::bigint as delivered_s
  from timed
),
timeline as (
  select
    *,
    case when is_returned then delivered_s + 3 * 86400 + floor(mg_u(${s}, order_id, 407) * 25 * 86400)::bigint end as returned_s,
    not is_cancelled or processing_s < cancelled_s as has_processing
  from delivered
)`;
}

/** Bit i set when step i of STATUS_STEPS has happened by `endS`. */
export function eventMaskSql(endS: number): string {
  return `(1
    | case when has_processing and processing_s <= ${endS} then 2 else 0 end
    | case when cancelled_s <= ${endS} then 4 else 0 end
    | case when shipped_s <= ${endS} then 8 else 0 end
    | case when delivered_s <= ${endS} then 16 else 0 end
    | case when returned_s <= ${endS} then 32 else 0 end)`;
}

/** The status a mask stands for: its highest step. */
export function statusOfMaskSql(mask: string): string {
  return `case
    when ${mask} & 32 <> 0 then 'returned'
    when ${mask} & 16 <> 0 then 'delivered'
    when ${mask} & 8 <> 0 then 'shipped'
    when ${mask} & 4 <> 0 then 'cancelled'
    when ${mask} & 2 <> 0 then 'processing'
    else 'pending' end`;
}

/** Epoch second of the change a mask's highest step stands for. */
export function lastChangeOfMaskSql(mask: string): string {
  return `case
    when ${mask} & 32 <> 0 then returned_s
    when ${mask} & 16 <> 0 then delivered_s
    when ${mask} & 8 <> 0 then shipped_s
    when ${mask} & 4 <> 0 then cancelled_s
    when ${mask} & 2 <> 0 then processing_s
    else ordered_s end`;
}

/** Epoch second of step `step` (0–5). */
export function stepTimeSql(step: string): string {
  return `case ${step}
    when 0 then ordered_s when 1 then processing_s when 2 then cancelled_s
    when 3 then shipped_s when 4 then delivered_s else returned_s end`;
}

/** Index in STATUS_STEPS of a status name. */
export function stepOfStatusSql(status: string): string {
  return `(case ${status} ${STATUS_STEPS.map((name, i) => `when '${name}' then ${i}`).join(' ')} end)`;
}
