import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  duckdbLockHolder,
  ShopsmartError,
  type WaitOptions,
  WarehouseLock,
  waitForWarehouse,
} from '@shopsmart/core-runner';
import {
  type AdvanceSummary,
  advance,
  advancePostgres,
  generateWarehouse,
  loadIntoPostgres,
} from '@shopsmart/mockgen';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { catchInterrupts, interruptedLine } from '../interrupts.js';
import { openTarget } from '../project-session.js';
import { createWaitLine } from '../wait-line.js';

/** Thrown from mockgen's progress callback once interrupted: mockgen rolls its transaction back. */
class Interrupted extends Error {}

/**
 * Runs a mock command with Ctrl-C / SIGTERM caught: the first stops it at its next step (mockgen
 * rolls back its one transaction, so the warehouse is as it was) and exits 130 with one line.
 */
async function interruptible(
  output: Output,
  work: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const interrupts = catchInterrupts(output);
  try {
    return await work(interrupts.signal);
  } catch (error) {
    if (!interrupts.signal.aborted) throw error;
    output.err(`${interruptedLine(0, 1)} (rolled back: the warehouse is as it was)`);
    return ExitCode.interrupted;
  } finally {
    interrupts.release();
  }
}

/** `--lock-timeout`: how long to wait for a busy warehouse, with the wait line. */
function waitOptions(args: CliArgs, output: Output, signal: AbortSignal): WaitOptions {
  const seconds = (args.options.lockTimeout as number | undefined) ?? 0;
  const line = createWaitLine(output);
  return { timeoutMs: seconds * 1000, onWait: (wait) => line.wait(wait), signal, startedAt: Date.now() };
}

/**
 * mockgen's progress: a JSON `progress` event per step with --log-format json, the live line on a
 * terminal (erased when the command ends), else a line on stderr; nothing with --quiet.
 */
function progressPrinter(output: Output, json: boolean, signal?: AbortSignal) {
  let last = 0;
  return (event: { phase: string; table?: string; completed: number; total: number }) => {
    if (signal?.aborted) throw new Interrupted('interrupted');
    if (output.style?.quiet) return;
    const now = Date.now();
    if (now - last < 250 && event.completed < event.total) return;
    last = now;
    if (json) {
      output.out(JSON.stringify({ kind: 'progress', ...event, at: new Date(now).toISOString() }));
      return;
    }
    const line = `[${event.completed}/${event.total}] ${event.phase}${event.table ? ` ${event.table}` : ''}`;
    if (output.live) output.live(`${line} …`);
    else output.err(`  ${line}`);
  };
}

/** `generate`: writes the mock warehouse's raw schema (or CSV/Parquet files). */
export function generateCommand(args: CliArgs, output: Output): Promise<number> {
  return interruptible(output, (signal) => generate(args, output, signal));
}

async function generate(args: CliArgs, output: Output, signal: AbortSignal): Promise<number> {
  const { target } = await openTarget(args);
  if (target.type === 'postgres' && (args.format ?? 'duckdb') === 'duckdb')
    return generateIntoPostgres(args, output);
  const path = target.path;
  const asOf = args.asOf ?? new Date().toISOString().slice(0, 10);
  const format = (args.format ?? 'duckdb') as 'duckdb' | 'csv' | 'parquet';
  // A generated warehouse is a new warehouse: built relations, incremental facts and snapshot
  // history of the old one would not match it. Generate beside the file and swap it in whole,
  // so a failure leaves the previous warehouse untouched.
  const fresh = format === 'duckdb' ? `${path}.generating` : path;
  const lock =
    format === 'duckdb'
      ? await waitForWarehouse(
          () => WarehouseLock.acquire(path, 'generate'),
          waitOptions(args, output, signal),
        )
      : undefined;
  try {
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    return await writeWarehouse(args, output, path, fresh, asOf, format, signal);
  } finally {
    lock?.release();
    rmSync(fresh === path ? `${path}.none` : fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
  }
}

async function writeWarehouse(
  args: CliArgs,
  output: Output,
  path: string,
  fresh: string,
  asOf: string,
  format: 'duckdb' | 'csv' | 'parquet',
  signal?: AbortSignal,
): Promise<number> {
  const summary = await generateWarehouse({
    warehousePath: fresh,
    scale: args.scale ?? 1,
    seed: args.seed ?? 42,
    asOf,
    dirty: args.dirty,
    format,
    outDir: args.out,
    onProgress: progressPrinter(output, args.logFormat === 'json', signal),
  });
  if (signal?.aborted) throw new Interrupted('interrupted');
  if (fresh !== path) {
    rmSync(`${path}.wal`, { force: true });
    renameSync(fresh, path);
  }
  const rows = summary.tables.reduce((sum, t) => sum + t.rows, 0);
  if (args.logFormat === 'json') output.out(JSON.stringify({ kind: `${args.command}_finished`, ...summary }));
  else {
    output.out(
      `Generated ${rows.toLocaleString('en-US')} rows in ${summary.tables.length} tables (as of ${summary.asOf}) in ${(summary.durationMs / 1000).toFixed(2)}s → ${args.out ?? path}`,
    );
    for (const table of summary.tables)
      output.out(`  ${table.name.padEnd(24)} ${table.rows.toLocaleString('en-US').padStart(12)}`);
    if (summary.defects.length > 0)
      output.out(`  injected ${summary.defects.length} defects (recorded in raw._mockgen_defects)`);
  }
  return ExitCode.ok;
}

/** `advance --days N`: the next N days of the shop. */
export function advanceCommand(args: CliArgs, output: Output): Promise<number> {
  return interruptible(output, (signal) => advanceShop(args, output, signal));
}

async function advanceShop(args: CliArgs, output: Output, signal: AbortSignal): Promise<number> {
  const { target } = await openTarget(args);
  if (args.days === undefined && args.asOf === undefined) {
    throw new ShopsmartError('SSA-CLI-001', 'advance needs --days N or --as-of YYYY-MM-DD', {
      hint: 'e.g. pnpm cli advance --days 7',
    });
  }
  if (target.type === 'postgres') return advanceOnPostgres(args, output, signal);
  if (target.type !== 'duckdb')
    throw new ShopsmartError(
      'SSA-CLI-001',
      `advance writes a DuckDB or PostgreSQL warehouse; target '${target.name}' is ${target.type}`,
      {
        hint: `generate again with the later --as-of (shopsmart generate --target ${target.name} --as-of YYYY-MM-DD)`,
      },
    );
  const path = target.path;
  const wait = waitOptions(args, output, signal);
  const lock = await waitForWarehouse(() => WarehouseLock.acquire(path, 'advance'), wait);
  try {
    // A reader holding the file (a notebook) is waited for like the lock: mockgen opens it first thing.
    const summary = await waitForWarehouse(
      () =>
        advance({
          warehousePath: path,
          ...(args.days === undefined ? {} : { days: args.days }),
          ...(args.asOf === undefined ? {} : { asOf: args.asOf }),
          seed: args.seed,
          onProgress: progressPrinter(output, args.logFormat === 'json', signal),
        }).catch((error: unknown) => {
          throw namedHolder(error, path);
        }),
      wait,
    );
    if (signal.aborted) throw new Interrupted('interrupted');
    return printAdvanced(args, output, summary);
  } finally {
    lock.release();
  }
}

function printAdvanced(args: CliArgs, output: Output, summary: AdvanceSummary): number {
  if (args.logFormat === 'json') output.out(JSON.stringify({ kind: `${args.command}_finished`, ...summary }));
  else {
    output.out(
      `Advanced the shop ${summary.days} days, from ${summary.fromAsOf} to ${summary.asOf} (batch ${summary.batch}) in ${(summary.durationMs / 1000).toFixed(2)}s`,
    );
    for (const table of summary.tables) {
      output.out(
        `  ${table.name.padEnd(24)} +${table.inserted.toLocaleString('en-US').padStart(9)} new  ${table.updated.toLocaleString('en-US').padStart(9)} updated`,
      );
    }
  }
  return ExitCode.ok;
}

/**
 * `advance` on a `type: postgres` target: the raw tables are read into a scratch DuckDB file,
 * moved forward by the same batch code and loaded back with COPY, replacing `raw` in one
 * transaction (a failure leaves the previous raw tables).
 */
async function advanceOnPostgres(args: CliArgs, output: Output, signal: AbortSignal): Promise<number> {
  const { target } = await openTarget(args);
  const connection = target.postgres;
  if (!connection) throw new ShopsmartError('SSA-PROJECT-006', `target '${target.name}' has no connection`);
  let summary: AdvanceSummary;
  try {
    summary = await advancePostgres(connection, {
      ...(args.days === undefined ? {} : { days: args.days }),
      ...(args.asOf === undefined ? {} : { asOf: args.asOf }),
      seed: args.seed,
      onProgress: progressPrinter(output, args.logFormat === 'json', signal),
    });
  } catch (error) {
    if (error && typeof error === 'object' && 'code' in error && String(error.code).startsWith('SSA-'))
      throw error;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new ShopsmartError(
      'SSA-WAREHOUSE-010',
      `cannot advance the mock warehouse in target '${target.name}' (${target.path}): ${message}`,
      { hint: "check the server is running, the target's connection, and that generate --target ran first" },
    );
  }
  if (signal.aborted) throw new Interrupted('interrupted');
  return printAdvanced(args, output, summary);
}

/**
 * `generate` on a `type: postgres` target: the same deterministic tables, generated into a scratch
 * DuckDB file and streamed into the target's `raw` schema with COPY (replaced in one transaction).
 */
async function generateIntoPostgres(args: CliArgs, output: Output): Promise<number> {
  const { target } = await openTarget(args);
  const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-generate-'));
  try {
    const file = join(scratch, 'mock.duckdb');
    await writeWarehouse(
      args,
      { ...output, out: () => undefined },
      file,
      file,
      args.asOf ?? new Date().toISOString().slice(0, 10),
      'duckdb',
    );
    const connection = target.postgres;
    if (!connection) throw new ShopsmartError('SSA-PROJECT-006', `target '${target.name}' has no connection`);
    let loaded: Awaited<ReturnType<typeof loadIntoPostgres>>;
    try {
      loaded = await loadIntoPostgres(file, connection);
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new ShopsmartError(
        'SSA-WAREHOUSE-010',
        `cannot load the mock warehouse into target '${target.name}' (${target.path}): ${message}`,
        { hint: "check the server is running and the target's host, port, user, password and dbname" },
      );
    }
    const rows = loaded.tables.reduce((sum, t) => sum + t.rows, 0);
    if (args.logFormat === 'json') output.out(JSON.stringify(loaded));
    else {
      output.out(
        `Loaded ${rows.toLocaleString('en-US')} rows in ${loaded.tables.length} tables into ${target.path} (raw) with COPY in ${(loaded.durationMs / 1000).toFixed(2)}s`,
      );
      for (const table of loaded.tables)
        output.out(`  ${table.name.padEnd(24)} ${table.rows.toLocaleString('en-US').padStart(12)}`);
    }
    return ExitCode.ok;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** mockgen's "locked by another process" as the engine's busy-file error, naming the process. */
function namedHolder(error: unknown, path: string): unknown {
  if (!(error && typeof error === 'object' && (error as { code?: string }).code === 'SSA-MOCK-005'))
    return error;
  const cause = (error as { cause?: unknown }).cause;
  const holder = duckdbLockHolder(cause instanceof Error ? cause.message : String(cause));
  return new ShopsmartError(
    'SSA-LOCK-004',
    `the warehouse file ${path} is held open by ${holder ? `process ${holder.pid} (${holder.program})` : 'another process'}`,
    {
      file: path,
      hint: 'close the warehouse there (a notebook, a BI tool, another shell), or wait for it with --lock-timeout SECONDS',
      cause: error,
    },
  );
}
