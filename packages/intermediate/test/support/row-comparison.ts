import { formatCents, toCents } from './money.js';
import type { Row } from './warehouse-reader.js';

/**
 * How a column is compared: `money` as dollars to the cent, `int`/`text`/`date`/`bool` exactly,
 * `ratio` within half a unit of the column's last decimal (the model rounds, we do not).
 */
export type ColumnKind = 'money' | 'int' | 'text' | 'date' | 'bool' | { ratio: number };

/** Expected values: money in integer cents, ratios unrounded, null where the model must give null. */
export type Expected = Record<string, number | string | boolean | null>;

function sameValue(kind: ColumnKind, actual: unknown, expected: Expected[string]): boolean {
  if (actual === null || expected === null) return actual === null && expected === null;
  if (kind === 'money') return toCents(actual) === expected;
  if (kind === 'int') return Number(actual) === expected;
  if (kind === 'bool') return actual === expected;
  if (kind === 'text' || kind === 'date') return String(actual) === expected;
  return Math.abs(Number(actual) - Number(expected)) <= 0.5 * 10 ** -kind.ratio + 1e-9;
}

function shown(kind: ColumnKind, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (kind === 'money') return typeof value === 'number' ? (formatCents(value) as string) : String(value);
  return JSON.stringify(value);
}

/**
 * Compares a model's rows with expected rows by key and lists every difference as
 * "<model> <key>: <column> expected X, got Y" — missing and unexpected rows included — so a
 * failing assertion names the rows and columns to look at.
 *
 * @example
 * const problems = compareRows('orders_daily', rows, 'date_day', expectedByDay, { revenue: 'money' });
 * expect(problems).toEqual([]);
 */
export function compareRows(
  model: string,
  actualRows: Row[],
  keyColumn: string | ((row: Row) => string),
  expected: Map<string, Expected>,
  columns: Record<string, ColumnKind>,
): string[] {
  const keyOf = typeof keyColumn === 'string' ? (row: Row) => String(row[keyColumn]) : keyColumn;
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of actualRows) {
    const key = keyOf(row);
    if (seen.has(key)) {
      problems.push(`${model} ${key}: duplicate row`);
      continue;
    }
    seen.add(key);
    const want = expected.get(key);
    if (want === undefined) {
      problems.push(`${model} ${key}: unexpected row`);
      continue;
    }
    for (const [column, kind] of Object.entries(columns)) {
      if (!(column in want)) throw new Error(`no expected value for ${model}.${column}`);
      const expectedValue = want[column] as Expected[string];
      if (!sameValue(kind, row[column], expectedValue)) {
        problems.push(
          `${model} ${key}: ${column} expected ${shown(kind, expectedValue)}, got ${shown(kind, row[column])}`,
        );
      }
    }
  }
  for (const key of expected.keys()) if (!seen.has(key)) problems.push(`${model} ${key}: missing row`);
  return problems;
}

/** The first `limit` problems and how many more there are, for readable assertion output. */
export function summarize(problems: string[], limit = 25): string[] {
  return problems.length <= limit
    ? problems
    : [...problems.slice(0, limit), `… and ${problems.length - limit} more`];
}
