/** Calendar arithmetic on 'YYYY-MM-DD' dates (UTC), independent of DuckDB's date functions. */

export type Grain = 'day' | 'week' | 'month';

const dayMs = 86_400_000;

const parse = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const format = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The UTC date of a timestamp given in microseconds since the epoch. */
export function dateOfEpochUs(epochUs: number): string {
  return format(Math.floor(epochUs / 1000));
}

/** Whole days from `start` to `end` (negative when `end` is earlier). */
export function daysBetween(start: string, end: string): number {
  return Math.round((parse(end) - parse(start)) / dayMs);
}

export function addDays(date: string, days: number): string {
  return format(parse(date) + days * dayMs);
}

/** First day of the period holding `date`: itself, the Monday of its ISO week, or the 1st of its month. */
export function periodStart(date: string, grain: Grain): string {
  if (grain === 'day') return date;
  if (grain === 'month') return `${date.slice(0, 8)}01`;
  const weekday = (new Date(parse(date)).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(date, -weekday);
}

/** First day of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, grain: Grain): string {
  if (grain === 'day') return addDays(start, 1);
  if (grain === 'week') return addDays(start, 7);
  const year = Number(start.slice(0, 4));
  const month = Number(start.slice(5, 7));
  return month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

/** The same calendar date a year earlier; 29 February becomes 28 February. */
export function oneYearEarlier(date: string): string {
  const year = Number(date.slice(0, 4)) - 1;
  const monthDay = date.slice(5);
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return monthDay === '02-29' && !isLeap ? `${year}-02-28` : `${year}-${monthDay}`;
}

/** 'YYYY-MM-DD' → YYYYMMDD, the warehouse's date_key. */
export function dateKey(date: string): number {
  return Number(date.replaceAll('-', ''));
}

/** The earliest of some 'YYYY-MM-DD' dates (they sort as text), or null for none. */
export function earliestDate(dates: string[]): string | null {
  return dates.length === 0 ? null : ([...dates].sort()[0] as string);
}

/** The latest of some 'YYYY-MM-DD' dates, or null for none. */
export function latestDate(dates: string[]): string | null {
  return dates.length === 0 ? null : ([...dates].sort().at(-1) as string);
}
