import type { DuckdbSession } from '../warehouse/duckdb-session.js';

/** The columns of mg_calendar that placing a row in time by order weight reads, one entry per day. */
export interface CalendarDays {
  /** Midnight of day 0 (epoch seconds); day d starts at startS + d × 86,400. */
  startS: number;
  orderCumStart: number[];
  orderWeight: number[];
  dayLen: number[];
  activeCampaigns: number[][];
}

/** Reads mg_calendar (day_idx 0, 1, 2, … in order) for calendarLookup. */
export async function readCalendarDays(s: DuckdbSession, startS: number): Promise<CalendarDays> {
  const rows = await s.rows(
    'select day_idx, order_cum_start, order_weight, day_len, active_campaigns from mg_calendar order by day_idx',
  );
  const days: CalendarDays = { startS, orderCumStart: [], orderWeight: [], dayLen: [], activeCampaigns: [] };
  for (const [i, r] of rows.entries()) {
    if (Number(r.day_idx) !== i) throw new Error(`mg_calendar: day ${i} missing`);
    days.orderCumStart.push(Number(r.order_cum_start));
    days.orderWeight.push(Number(r.order_weight));
    days.dayLen.push(Number(r.day_len));
    days.activeCampaigns.push((r.active_campaigns as unknown[]).map(Number));
  }
  return days;
}

/** About this many buckets cover the weight range: a few tens of kilobytes of SQL. */
const BUCKETS = 16_384;

/**
 * SQL that finds, for `target` (a BIGINT in [from, to) of the cumulative order weight), the day
 * an `asof join mg_calendar as c on target >= c.order_cum_start` finds — the last day whose
 * order_cum_start is ≤ target — as a projection over literal lists instead of a join.
 *
 * The weight range is cut into equal buckets; a list gives each bucket's day at its start, and
 * the few day starts that fall inside a bucket (usually none or one; `steps`, computed here, is
 * the most in any bucket) are each one comparison. Being a projection, a query that uses it
 * keeps its pipeline parallel and its insert a batch insert (a join makes DuckDB write the
 * rows on one thread to keep their order).
 *
 * Returns the two steps that find the day's list position and accessors for the day's columns.
 */
export function calendarLookup(
  days: CalendarDays,
  from: number,
  to: number,
): {
  /** SQL of the 1-based list position (day_idx + 1) of the day at the start of target's bucket. */
  firstPosition: (target: string) => string;
  /** SQL of target's day position, from the bucket's first position `first` (a column). */
  position: (first: string, target: string) => string;
  cumStart: (pos: string) => string;
  weight: (pos: string) => string;
  dayLen: (pos: string) => string;
  dayS: (pos: string) => string;
  nActive: (pos: string) => string;
  campaign: (pos: string, oneBasedIndex: string) => string;
} {
  const cum = days.orderCumStart;
  const n = cum.length;
  const span = Math.max(1, to - from);
  const width = Math.max(1, Math.ceil(span / BUCKETS));
  // one bucket more than the range needs: a target rounded up to `to` still finds its day
  const nBuckets = Math.ceil(span / width) + 1;
  // last day with cum ≤ v (0-based), by a walk over the sorted starts
  const firstDays: number[] = [];
  let d = 0;
  let steps = 0;
  for (let b = 0; b < nBuckets; b++) {
    const start = from + b * width;
    while (d + 1 < n && (cum[d + 1] as number) <= start) d++;
    firstDays.push(d);
    let inside = 0;
    for (let e = d + 1; e < n && (cum[e] as number) < start + width; e++) inside++;
    steps = Math.max(steps, inside);
  }
  const list = (values: readonly number[]) => `[${values.join(',')}]`;
  const cumList = `${list(cum)}::BIGINT[]`;
  const firstPosition = (target: string) =>
    `(${list(firstDays.map((x) => x + 1))}::INTEGER[])[1 + ((${target}) - ${from}) // ${width}]`;
  // each day start after the bucket's first day that target has reached moves it on one day
  const position = (first: string, target: string) => {
    const terms = [first];
    for (let k = 1; k <= steps; k++)
      terms.push(`coalesce((${cumList})[${first} + ${k}] <= (${target}), false)::INTEGER`);
    return `(${terms.join(' + ')})`;
  };
  return {
    firstPosition,
    position,
    cumStart: (pos) => `(${cumList})[${pos}]`,
    weight: (pos) => `(${list(days.orderWeight)}::BIGINT[])[${pos}]`,
    dayLen: (pos) => `(${list(days.dayLen)}::BIGINT[])[${pos}]`,
    dayS: (pos) => `(${days.startS} + ((${pos}) - 1)::BIGINT * 86400)`,
    nActive: (pos) => `(${list(days.activeCampaigns.map((c) => c.length))}::BIGINT[])[${pos}]`,
    campaign: (pos, index) =>
      `(${`[${days.activeCampaigns.map((c) => list(c)).join(',')}]`}::INTEGER[][])[${pos}][${index}]`,
  };
}
