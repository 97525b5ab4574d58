const DAY_S = 86_400;

/** A UTC calendar day, as text and as epoch seconds of its midnight. */
export interface UtcDay {
  date: string;
  epochS: number;
}

/**
 * Reads an as-of given as `YYYY-MM-DD`, an ISO timestamp or a Date; returns its UTC day, or a
 * message saying why it is not one.
 */
export function parseAsOf(value: unknown): UtcDay | string {
  let ms: number;
  if (value instanceof Date) {
    ms = value.getTime();
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    ms = Date.parse(`${value}T00:00:00Z`);
    // Date.parse rolls 2025-02-30 over to March; a typo should not silently move the history.
    if (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) !== value) {
      return `${value} is not a calendar date`;
    }
  } else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) {
    ms = Date.parse(value);
  } else {
    return `expected YYYY-MM-DD or a Date, got ${JSON.stringify(value)}`;
  }
  if (Number.isNaN(ms)) return `${String(value)} is not a date`;
  const date = new Date(ms).toISOString().slice(0, 10);
  const year = Number(date.slice(0, 4));
  if (year < 2000 || year > 2100) return `${date} is outside 2000–2100`;
  return dayOf(date);
}

export function dayOf(date: string): UtcDay {
  return { date, epochS: Date.parse(`${date}T00:00:00Z`) / 1000 };
}

export function addDays(day: UtcDay, days: number): UtcDay {
  const epochS = day.epochS + days * DAY_S;
  return { date: new Date(epochS * 1000).toISOString().slice(0, 10), epochS };
}

/** First day of a three-year history ending at `asOf` (inclusive at both ends). */
export function historyStartFor(asOf: UtcDay): UtcDay {
  const d = new Date(asOf.epochS * 1000);
  const ms = Date.UTC(d.getUTCFullYear() - 3, d.getUTCMonth(), d.getUTCDate() + 1);
  return dayOf(new Date(ms).toISOString().slice(0, 10));
}

/** Last second of a day: the moment nothing may happen after. */
export function endOfDayS(day: UtcDay): number {
  return day.epochS + DAY_S - 1;
}

export { DAY_S };
