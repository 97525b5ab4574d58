import type { DuckdbSession } from '../warehouse/duckdb-session.js';

/**
 * Columns of a small table keyed by a dense integer (products by id, calendar days by day_idx),
 * gathered into lists in a one-row temp table: a query cross joins `relation` and reads
 * `at(column, key)`, the list element at the 1-based position `key - first + 1`.
 *
 * Why: a join on the key, even with a table of a thousand rows, makes DuckDB write a
 * `create table … as` on one thread (to keep the rows' order it needs a batch insert, and a
 * hash join is not a source that numbers its batches). A cross join with one row keeps the batch
 * insert, and its lists reach each chunk by reference. (List literals in the SQL would be
 * copied into every chunk of 2,048 rows, for each place they appear: slower.)
 */
export interface ListLookup {
  /** `<temp table> as <alias>`, to cross join in the FROM clause that uses `at`. */
  relation: string;
  /** SQL of `column` at key expression `key` (the key must be in the table). */
  at: (column: string, key: string) => string;
}

/**
 * Creates temp table `name` (one row: a list per column of `table`, ordered by `key`) after
 * checking that `key` runs first, first + 1, … without gaps.
 */
export async function createListLookup(
  s: DuckdbSession,
  name: string,
  table: string,
  key: string,
  first: number,
  columns: readonly string[],
): Promise<ListLookup> {
  const [check] = await s.rows(
    `select count(*) as n, coalesce(min(${key}), ${first}) as lo, coalesce(max(${key}), ${first - 1}) as hi, count(distinct ${key}) as d from ${table}`,
  );
  const n = Number(check?.n);
  if (Number(check?.lo) !== first || Number(check?.hi) !== first + n - 1 || Number(check?.d) !== n)
    throw new Error(`${table}: ${key} is not ${first} … ${first + n - 1} without gaps`);
  await s.run(
    `create or replace temp table ${name} as select ${columns.map((c) => `list(${c} order by ${key}) as ${c}`).join(', ')} from ${table};`,
  );
  const alias = `${name}_l`;
  return {
    relation: `${name} as ${alias}`,
    at: (column, k) => `${alias}.${column}[(${k}) - ${first - 1}]`,
  };
}

/** What the order plan and lines read from mg_products (by id) and mg_calendar (by day_idx). */
export interface PlanLookups {
  products: ListLookup;
  calendar: ListLookup;
}

export async function createPlanLookups(s: DuckdbSession): Promise<PlanLookups> {
  return {
    products: await createListLookup(s, 'mg_products_lists', 'mg_products', 'id', 1, [
      'list_price_cents',
      'lag_hours',
      'is_apparel',
    ]),
    calendar: await createListLookup(s, 'mg_calendar_lists', 'mg_calendar', 'day_idx', 0, [
      'month',
      'active_campaigns',
      'n_active',
    ]),
  };
}
