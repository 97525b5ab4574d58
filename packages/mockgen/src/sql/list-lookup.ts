import type { DuckdbSession } from '../warehouse/duckdb-session.js';

/**
 * Columns of a small table keyed by a dense integer (products by id, calendar days by day_idx),
 * spelled out as SQL list literals: `lookup.column('x')` is `[…]::TYPE[]`, indexed with the
 * 1-based position `key - first + 1`.
 *
 * Why: a join, even on a table of a thousand rows, makes DuckDB write a `create table … as`
 * on one thread (to keep the rows' order it needs a batch insert, and a join is not a source
 * that numbers its batches); a list lookup is a projection, so the pipeline stays parallel.
 */
export interface ListLookup {
  /** The list literal of a column, with its type. */
  column: (name: string) => string;
  /** SQL of `column` at key expression `key` (NULL outside the table, as a join would drop). */
  at: (name: string, key: string) => string;
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value)) return `[${value.map(literal).join(',')}]`;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return value;
  throw new Error(`list lookup: unsupported value ${JSON.stringify(value)}`);
}

/** Reads `columns` of `table` ordered by `key`, which must run first, first + 1, … without gaps. */
export async function readListLookup(
  s: DuckdbSession,
  table: string,
  key: string,
  first: number,
  columns: readonly string[],
): Promise<ListLookup> {
  const rows = await s.rows(
    `select ${key} as k, ${columns.map((c) => `${c}, typeof(${c}) as "type:${c}"`).join(', ')} from ${table} order by ${key}`,
  );
  const lists = new Map<string, string>();
  for (const [i, r] of rows.entries())
    if (Number(r.k) !== first + i) throw new Error(`${table}: ${key} ${first + i} missing`);
  for (const c of columns) {
    const type = String(rows[0]?.[`type:${c}`] ?? 'INTEGER');
    lists.set(c, `[${rows.map((r) => literal(r[c])).join(',')}]::${type}[]`);
  }
  const column = (name: string) => {
    const list = lists.get(name);
    if (list === undefined) throw new Error(`list lookup: ${name} not read`);
    return list;
  };
  return { column, at: (name, k) => `(${column(name)})[(${k}) - ${first - 1}]` };
}

/** What the order plan and lines read from mg_products (by id) and mg_calendar (by day_idx). */
export interface PlanLookups {
  products: ListLookup;
  calendar: ListLookup;
}

export async function readPlanLookups(s: DuckdbSession): Promise<PlanLookups> {
  return {
    products: await readListLookup(s, 'mg_products', 'id', 1, [
      'list_price_cents',
      'lag_hours',
      'is_apparel',
    ]),
    calendar: await readListLookup(s, 'mg_calendar', 'day_idx', 0, ['month', 'active_campaigns', 'n_active']),
  };
}
