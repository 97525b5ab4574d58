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

/** About this many buckets cover the weight range. */
const BUCKETS = 16_384;

/**
 * Finds, for `target` (a BIGINT in [from, to) of the cumulative order weight), the day an
 * `asof join mg_calendar as c on target >= c.order_cum_start` finds — the last day whose
 * order_cum_start is ≤ target — by list lookups in a one-row temp table (mg_anon_calendar,
 * cross joined as `relation`) instead of a join.
 *
 * The weight range is cut into equal buckets; a list gives each bucket's day at its start, and
 * the few day starts that fall inside a bucket (usually none or one; `steps`, computed here, is
 * the most in any bucket) are each one comparison. Without a join the query's pipeline stays
 * parallel and its insert a batch insert (a hash or ASOF join makes DuckDB write the rows on one
 * thread to keep their order).
 */
export async function createCalendarLookup(
  s: DuckdbSession,
  days: CalendarDays,
  from: number,
  to: number,
): Promise<{
  relation: string;
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
}> {
  const cum = days.orderCumStart;
  const n = cum.length;
  const span = Math.max(1, to - from);
  const width = Math.max(1, Math.ceil(span / BUCKETS));
  // one bucket more than the range needs: a target rounded up to `to` still finds its day
  const nBuckets = Math.ceil(span / width) + 1;
  // the last day with cum ≤ the bucket's start (0-based), by a walk over the sorted starts
  const firstDays: number[] = [];
  let d = 0;
  let steps = 0;
  for (let b = 0; b < nBuckets; b++) {
    const start = from + b * width;
    while (d + 1 < n && (cum[d + 1] as number) <= start) d++;
    firstDays.push(d + 1);
    let inside = 0;
    for (let e = d + 1; e < n && (cum[e] as number) < start + width; e++) inside++;
    steps = Math.max(steps, inside);
  }
  await s.run(`create or replace temp table mg_anon_calendar as
    select
      [${firstDays.join(',')}]::INTEGER[] as first_pos,
      list(order_cum_start order by day_idx) as cum,
      list(order_weight order by day_idx) as weight,
      list(day_len order by day_idx) as day_len,
      list(n_active order by day_idx) as n_active,
      list(active_campaigns order by day_idx) as campaigns
    from mg_calendar;`);
  const c = 'mg_anon_calendar_l';
  return {
    relation: `mg_anon_calendar as ${c}`,
    firstPosition: (target) => `${c}.first_pos[1 + ((${target}) - ${from}) // ${width}]`,
    // each day start after the bucket's first day that target has reached moves it on one day
    position: (first, target) => {
      const terms = [first];
      for (let k = 1; k <= steps; k++)
        terms.push(`coalesce(${c}.cum[${first} + ${k}] <= (${target}), false)::INTEGER`);
      return `(${terms.join(' + ')})`;
    },
    cumStart: (pos) => `${c}.cum[${pos}]`,
    weight: (pos) => `${c}.weight[${pos}]`,
    dayLen: (pos) => `${c}.day_len[${pos}]`,
    dayS: (pos) => `(${days.startS} + ((${pos}) - 1)::BIGINT * 86400)`,
    nActive: (pos) => `${c}.n_active[${pos}]`,
    campaign: (pos, index) => `${c}.campaigns[${pos}][${index}]`,
  };
}
