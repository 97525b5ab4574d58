import { MockgenNoRawDataError } from '../errors.js';
import { dayOf, endOfDayS, type UtcDay } from '../options/as-of-date.js';
import { sqlString } from '../sql/sql-context.js';
import type { DuckdbSession } from '../warehouse/duckdb-session.js';
import { RAW_TABLES } from '../warehouse/raw-tables.js';

/** Where the shop stands before a batch: read from `_mockgen_runs` and the tables themselves. */
export interface AdvanceState {
  /** The seed the warehouse was generated with; order plans are recomputed with it. */
  seed: number;
  scale: number;
  historyStart: UtcDay;
  /** As-of of the full generation (batch 0): rates are calibrated on its history. */
  generatedAsOf: UtcDay;
  /** As-of after the latest batch. */
  asOf: UtcDay;
  /** The latest batch's clock, epoch seconds: its as-of's last second, or the real time it ran if earlier. */
  clockS: number;
  lastBatch: number;
  refundCustomerId: number;
  /** New customers are numbered on from here. */
  maxCustomerId: number;
}

function date(value: unknown): UtcDay {
  return dayOf(String(value).slice(0, 10));
}

/** Throws MockgenNoRawDataError unless the schema holds a mockgen warehouse. */
export async function readAdvanceState(session: DuckdbSession, schema: string): Promise<AdvanceState> {
  const present = await session.rows(
    `select table_name from information_schema.tables where table_schema = ${sqlString(schema)}`,
  );
  const names = new Set(present.map((r) => String(r.table_name)));
  const missing = ['_mockgen_runs', ...RAW_TABLES].filter((t) => !names.has(t));
  if (missing.length > 0) {
    throw new MockgenNoRawDataError(
      session.path,
      schema,
      `missing table${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
    );
  }
  const q = `"${schema}"`;
  const runs = await session.rows(`select * from ${q}._mockgen_runs order by batch`);
  const first = runs[0];
  const last = runs[runs.length - 1];
  if (first === undefined || last === undefined || first.kind !== 'generate') {
    throw new MockgenNoRawDataError(session.path, schema, '_mockgen_runs has no generate row');
  }
  return {
    seed: Number(first.seed),
    scale: Number(first.scale),
    historyStart: date(first.history_start),
    generatedAsOf: date(first.as_of),
    asOf: date(last.as_of),
    // warehouses written before clock_at existed ran to the end of their as-of
    clockS:
      last.clock_at === undefined || last.clock_at === null
        ? endOfDayS(date(last.as_of))
        : Math.floor(Date.parse(`${String(last.clock_at).replace(' ', 'T')}Z`) / 1000),
    lastBatch: Number(last.batch),
    refundCustomerId: await session.number(
      `select coalesce(min(row_id), 0) from ${q}._mockgen_edge_cases where edge_case = 'customer_all_orders_refunded'`,
    ),
    maxCustomerId: await session.number(`select coalesce(max(id), 0) from ${q}.customers`),
  };
}
