import { MockgenOptionError } from '../errors.js';
import { DUCKDB_SETTINGS } from '../generate/generate-warehouse.js';
import { resolveAdvanceOptions } from '../options/advance-options.js';
import { addDays } from '../options/as-of-date.js';
import { buildDictionaries } from '../reference/faker-dictionaries.js';
import { readReferenceSeeds } from '../reference/seed-reader.js';
import { quoteIdent } from '../sql/sql-context.js';
import type { AdvanceOptions, AdvanceSummary } from '../types.js';
import { DuckdbSession } from '../warehouse/duckdb-session.js';
import { RAW_TABLES } from '../warehouse/raw-tables.js';
import { runSteps } from '../warehouse/step-runner.js';
import { runInTransaction } from '../warehouse/transaction.js';
import { readAdvanceState } from './advance-state.js';
import { batchSteps, type UpdatedCounts } from './advance-steps.js';

/**
 * Moves a generated warehouse `days` days forward, like a live shop: new customers, orders and
 * events; open orders move on in status; some customers move, some prices and one category
 * change; a few orders arrive late, dated before the previous batch. Everything is appended or
 * updated in place in one transaction and recorded as a new batch in `_mockgen_runs`.
 *
 * @example
 * await generateWarehouse({ warehousePath: 'wh.duckdb', asOf: '2026-06-30', scale: 0.1 });
 * const batch = await advance({ warehousePath: 'wh.duckdb', days: 7 });
 * // batch.asOf === '2026-07-07'; batch.tables → [{ name: 'orders', inserted: 790, updated: 96 }, …]
 */
export async function advance(options: AdvanceOptions): Promise<AdvanceSummary> {
  const started = performance.now();
  const opts = resolveAdvanceOptions(options);
  const seeds = readReferenceSeeds(opts.seedsDir);
  const session = await DuckdbSession.open(opts.warehousePath, DUCKDB_SETTINGS);
  try {
    const state = await readAdvanceState(session, opts.schema);
    const days = opts.days ?? Math.round(((opts.asOf?.epochS ?? 0) - state.asOf.epochS) / 86_400);
    if (days < 1 || days > 3650) {
      throw new MockgenOptionError([
        {
          option: 'asOf',
          message: `must be after the warehouse's as-of ${state.asOf.date} (and at most 3650 days later), got ${opts.asOf?.date}`,
        },
      ]);
    }
    const newAsOf = addDays(state.asOf, days);
    const schema = quoteIdent(opts.schema);
    const count = (table: string) => session.number(`select count(*) from ${schema}.${table}`);
    const before: Record<string, number> = {};
    for (const table of RAW_TABLES) before[table] = await count(table);
    const updated: UpdatedCounts = {};
    const steps = batchSteps(
      {
        state,
        schema: opts.schema,
        days,
        newAsOf,
        batchSeed: opts.seed ?? state.seed,
        nowS: opts.nowS,
        seeds,
        dicts: buildDictionaries(state.seed),
      },
      updated,
    );
    await runInTransaction(session, () => runSteps(session, steps, opts.onProgress, count));
    const tables = [];
    for (const name of RAW_TABLES) {
      tables.push({ name, inserted: (await count(name)) - (before[name] ?? 0), updated: updated[name] ?? 0 });
    }
    return {
      fromAsOf: state.asOf.date,
      asOf: newAsOf.date,
      days,
      batch: state.lastBatch + 1,
      tables,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    session.close();
  }
}
