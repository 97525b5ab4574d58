import type { WarehouseConnection } from '../adapter/warehouse-adapter.js';
import { ShopsmartError } from '../errors.js';
import { stripTrailingSemicolon } from '../template/sql-compiler.js';
import type { MaterializationContext, MaterializationResult } from './materialization-types.js';
import { runNodeHooks } from './run-hooks.js';

type BatchSize = 'hour' | 'day' | 'month' | 'year';
const batchSizes: BatchSize[] = ['hour', 'day', 'month', 'year'];

/** The start of the batch holding `date` (UTC). */
export function truncateTime(date: Date, size: BatchSize): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  if (size === 'year') return new Date(Date.UTC(y, 0, 1));
  if (size === 'month') return new Date(Date.UTC(y, m, 1));
  if (size === 'day') return new Date(Date.UTC(y, m, date.getUTCDate()));
  return new Date(Date.UTC(y, m, date.getUTCDate(), date.getUTCHours()));
}

/** `date` moved by `n` batches. */
export function offsetTime(date: Date, size: BatchSize, n: number): Date {
  const d = new Date(date.getTime());
  if (size === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
  else if (size === 'month') d.setUTCMonth(d.getUTCMonth() + n);
  else if (size === 'day') d.setUTCDate(d.getUTCDate() + n);
  else d.setUTCHours(d.getUTCHours() + n);
  return d;
}

/**
 * dbt 1.9's microbatch windows (MicrobatchBuilder): from `--event-time-start` (truncated), else
 * `begin` on a first build or full refresh, else the current batch minus `lookback` batches; up to
 * `--event-time-end` (or now) rounded up to a batch boundary; one window per batch.
 *
 * @example
 * microbatchWindows({ size: 'day', now: new Date('2024-01-03T05:00:00Z'), lookback: 1, first: false })
 * // → [[2024-01-02, 2024-01-03), [2024-01-03, 2024-01-04)]
 */
export function microbatchWindows(options: {
  size: BatchSize;
  now: Date;
  lookback: number;
  first: boolean;
  begin?: Date;
  start?: Date;
  end?: Date;
}): [Date, Date][] {
  const { size } = options;
  const start = options.start
    ? truncateTime(options.start, size)
    : options.first
      ? truncateTime(options.begin as Date, size)
      : offsetTime(truncateTime(options.now, size), size, -options.lookback);
  const until = options.end ?? options.now;
  const truncated = truncateTime(until, size);
  const end = truncated.getTime() === until.getTime() ? truncated : offsetTime(truncated, size, 1);
  const windows: [Date, Date][] = [];
  for (let at = start; at < end; at = offsetTime(at, size, 1)) windows.push([at, offsetTime(at, size, 1)]);
  return windows;
}

const timestampText = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');

function parseTime(value: unknown, what: string, file: string): Date {
  const text = String(value).trim();
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(date.getTime()))
    throw new ShopsmartError('SSA-INCR-011', `${what} '${text}' is not a date or timestamp`, {
      file,
      hint: "write it as '2024-01-01' or '2024-01-01 06:00:00' (UTC)",
    });
  return date;
}

/**
 * dbt's `microbatch` incremental strategy (docs.getdbt.com/docs/build/incremental-microbatch):
 * the model runs once per batch of `event_time`; refs to models (and sources) that configure an
 * `event_time` read only the batch's rows; each batch replaces its window in the table in its own
 * transaction, and a failed batch does not stop the others.
 */
export async function materializeMicrobatch(context: MaterializationContext): Promise<MaterializationResult> {
  const { node, adapter, connection, compiler, project } = context;
  const relation = node.relation;
  if (!relation) throw new Error(`${node.uniqueId} has no relation`);
  const file = node.originalFilePath;
  const eventTime = node.config.event_time;
  const size = String(node.config.batch_size ?? '') as BatchSize;
  if (typeof eventTime !== 'string' || !eventTime)
    throw new ShopsmartError('SSA-INCR-010', `microbatch model '${node.name}' needs event_time`, {
      file,
      hint: "set event_time='<timestamp column>' (and batch_size, begin)",
    });
  if (!batchSizes.includes(size))
    throw new ShopsmartError('SSA-INCR-010', `microbatch model '${node.name}' needs batch_size`, {
      file,
      hint: `set batch_size to one of: ${batchSizes.join(', ')}`,
    });
  const existing = await adapter.relationKind(relation, connection);
  const first = context.fullRefresh || existing !== 'table';
  if (first && node.config.begin === undefined && !context.eventTime?.start)
    throw new ShopsmartError(
      'SSA-INCR-010',
      `microbatch model '${node.name}' needs begin for its first build`,
      {
        file,
        hint: "set begin='2024-01-01' (where the first batch starts)",
      },
    );
  const windows =
    context.batches?.length && !first
      ? context.batches.map(([from, to]): [Date, Date] => [
          parseTime(from, 'batch start', file),
          parseTime(to, 'batch end', file),
        ])
      : microbatchWindows({
          size,
          now: project.runStartedAt,
          lookback: Number(node.config.lookback ?? 1),
          first,
          ...(node.config.begin !== undefined ? { begin: parseTime(node.config.begin, 'begin', file) } : {}),
          ...(context.eventTime?.start
            ? { start: parseTime(context.eventTime.start, '--event-time-start', file) }
            : {}),
          ...(context.eventTime?.end
            ? { end: parseTime(context.eventTime.end, '--event-time-end', file) }
            : {}),
        });
  const q = (name: string) => adapter.quote(name);
  const filteredInputs = (from: Date, to: Date) => {
    const redirects = new Map<string, string>();
    for (const id of node.dependsOn) {
      const parent = project.manifest.nodes[id] ?? project.manifest.sources[id];
      const column = parent?.config.event_time;
      if (typeof column !== 'string' || !column) continue;
      redirects.set(
        id,
        `(select * from ${compiler.referenceText(id)} where ${q(column)} >= timestamp '${timestampText(from)}' and ${q(column)} < timestamp '${timestampText(to)}')`,
      );
    }
    return redirects;
  };
  const batchSql = async (from: Date, to: Date, on: WarehouseConnection) =>
    stripTrailingSemicolon(
      await compiler.compileForExecutionRedirected(node.uniqueId, filteredInputs(from, to), {
        incremental: !first,
        warehouse: adapter.questionsOn(on),
        model: { batch: batchContext(from, to, size) },
      }),
    );
  await runNodeHooks(context, 'pre_hook', !first);
  const target = adapter.render(relation);
  if (first) {
    // The table's shape from the model (no rows), replacing what was there.
    const [from, to] = windows[0] ?? [project.runStartedAt, project.runStartedAt];
    await adapter.ensureSchema(relation.schema, connection, relation.database);
    const empty = `select * from (\n${await batchSql(from, to, connection)}\n) as dbt_microbatch where false`;
    const statements = adapter.sql.replaceRelation(relation, existing, 'table', empty);
    for (const statement of statements) context.recordSql(statement);
    await adapter.executeAtomically(statements, connection);
    adapter.noteRelation(relation, 'table');
  }
  const columns = (await adapter.columns(target, connection)).map((c) => c.name);
  const failed: string[] = [];
  const outcome = new Map<number, boolean>();
  let rows = 0;
  const runBatch = async (index: number, on: WarehouseConnection) => {
    const [from, to] = windows[index] as [Date, Date];
    const staging = q(`${relation.identifier}__ssa_batch_${index}`);
    try {
      const sql = await batchSql(from, to, on);
      for (const statement of adapter.sql.createTempTable(staging, sql)) {
        context.recordSql(statement);
        await adapter.execute(statement, on);
      }
      const statements = adapter.sql.incrementalWrite({
        strategy: 'microbatch',
        target,
        staging,
        columns,
        uniqueKey: [],
        predicates: [
          `${q(eventTime)} >= timestamp '${timestampText(from)}'`,
          `${q(eventTime)} < timestamp '${timestampText(to)}'`,
        ],
      });
      await adapter.transaction(on, async () => {
        for (const statement of statements) {
          context.recordSql(statement);
          await adapter.execute(statement, on);
        }
      });
      const counted = await adapter.query(`select count(*) as n from ${staging}`, on);
      rows += Number(counted[0]?.n ?? 0);
      outcome.set(index, true);
    } catch (error) {
      outcome.set(index, false);
      failed.push(
        `${timestampText(from)} (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
    } finally {
      await adapter.execute(adapter.sql.dropTable(staging), on).catch(() => undefined);
    }
  };
  const order = windows.map((_window, index) => index);
  if (node.config.concurrent_batches === true && windows.length > 2) {
    // dbt's parallel batch execution: the first and the last batch alone, the ones between at
    // once on the run's free connections (docs.getdbt.com/docs/build/parallel-batch-execution).
    await runBatch(0, connection);
    await inParallel(order.slice(1, -1), connection, adapter, context.threads ?? 1, runBatch);
    await runBatch(windows.length - 1, connection);
  } else {
    for (const index of order) await runBatch(index, connection);
  }
  await runNodeHooks(context, 'post_hook', !first);
  const span = (index: number): [string, string] => {
    const [from, to] = windows[index] as [Date, Date];
    return [from.toISOString(), to.toISOString()];
  };
  const batchResults = {
    successful: order.filter((index) => outcome.get(index)).map(span),
    failed: order.filter((index) => !outcome.get(index)).map(span),
  };
  failed.sort();
  const summary = `microbatch ${windows.length - failed.length} of ${windows.length} ${size} batches, ${rows} rows`;
  if (failed.length === 0) return { status: 'success', rowsAffected: rows, message: summary, batchResults };
  // dbt: some batches failed → `partial success`; all of them → `error`.
  return {
    status: failed.length === windows.length ? 'error' : 'partial success',
    rowsAffected: rows,
    message: `${summary}; failed batches: ${failed.join('; ')}`,
    batchResults,
  };
}

/**
 * `model.batch` while a batch renders, as dbt 1.9 gives it: `id` (the batch start as
 * `YYYYMMDD`, with the time for hourly batches) and `event_time_start` / `event_time_end` printed
 * as Python prints a UTC datetime.
 *
 * @example
 * batchContext(new Date('2024-01-02T00:00:00Z'), new Date('2024-01-03T00:00:00Z'), 'day');
 * // → { id: '20240102', event_time_start: '2024-01-02 00:00:00+00:00', event_time_end: '2024-01-03 00:00:00+00:00' }
 */
export function batchContext(from: Date, to: Date, size: BatchSize): Record<string, string> {
  const python = (date: Date) => `${timestampText(date).replace(/\.000$/, '')}+00:00`;
  const day = from.toISOString().slice(0, 10);
  const id = (size === 'hour' ? python(from) : day).replace(/-/g, '');
  return { id, event_time_start: python(from), event_time_end: python(to) };
}

/**
 * Runs `work` for each item on `own` and, at the same time, on whichever of the adapter's other
 * connections come free; returns once every item has run. A helper that gets a connection after
 * the items ran out hands it straight back, so nothing waits on a connection another node holds.
 */
async function inParallel(
  items: number[],
  own: WarehouseConnection,
  adapter: MaterializationContext['adapter'],
  threads: number,
  work: (item: number, on: WarehouseConnection) => Promise<void>,
): Promise<void> {
  const queue = [...items];
  const drain = async (on: WarehouseConnection) => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next, on);
  };
  const helpers: Promise<void>[] = [];
  for (let i = 1; i < Math.min(threads, items.length); i++) {
    void adapter
      .withConnection(async (on) => {
        if (queue.length === 0) return;
        const running = drain(on);
        helpers.push(running);
        await running;
      })
      .catch(() => undefined);
  }
  await drain(own);
  await Promise.all(helpers);
}
