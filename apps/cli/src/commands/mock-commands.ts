import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShopsmartError, WarehouseLock } from '@shopsmart/core-runner';
import { advance, generateWarehouse, loadIntoPostgres } from '@shopsmart/mockgen';
import type { CliArgs } from '../cli-options.js';
import type { Output } from '../event-printer.js';
import { ExitCode } from '../exit-codes.js';
import { openTarget } from '../project-session.js';

function progressPrinter(output: Output, quiet: boolean) {
  let last = 0;
  return (event: { phase: string; table?: string; completed: number; total: number }) => {
    if (quiet) return;
    const now = Date.now();
    if (now - last < 250 && event.completed < event.total) return;
    last = now;
    output.err(`  [${event.completed}/${event.total}] ${event.phase}${event.table ? ` ${event.table}` : ''}`);
  };
}

/** `generate`: writes the mock warehouse's raw schema (or CSV/Parquet files). */
export async function generateCommand(args: CliArgs, output: Output): Promise<number> {
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
  const lock = format === 'duckdb' ? WarehouseLock.acquire(path, 'generate') : undefined;
  try {
    rmSync(fresh, { force: true });
    rmSync(`${fresh}.wal`, { force: true });
    return await writeWarehouse(args, output, path, fresh, asOf, format);
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
): Promise<number> {
  const summary = await generateWarehouse({
    warehousePath: fresh,
    scale: args.scale ?? 1,
    seed: args.seed ?? 42,
    asOf,
    dirty: args.dirty,
    format,
    outDir: args.out,
    onProgress: progressPrinter(output, args.logFormat === 'json'),
  });
  if (fresh !== path) {
    rmSync(`${path}.wal`, { force: true });
    renameSync(fresh, path);
  }
  const rows = summary.tables.reduce((sum, t) => sum + t.rows, 0);
  if (args.logFormat === 'json') output.out(JSON.stringify(summary));
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
export async function advanceCommand(args: CliArgs, output: Output): Promise<number> {
  const { target } = await openTarget(args);
  if (target.type !== 'duckdb')
    throw new ShopsmartError(
      'SSA-CLI-001',
      `advance writes a DuckDB warehouse; target '${target.name}' is ${target.type}`,
      {
        hint: `generate again with the later --as-of (shopsmart generate --target ${target.name} --as-of YYYY-MM-DD)`,
      },
    );
  const path = target.path;
  if (args.days === undefined && args.asOf === undefined) {
    throw new ShopsmartError('SSA-CLI-001', 'advance needs --days N or --as-of YYYY-MM-DD', {
      hint: 'e.g. pnpm cli advance --days 7',
    });
  }
  const lock = WarehouseLock.acquire(path, 'advance');
  try {
    const summary = await advance({
      warehousePath: path,
      ...(args.days === undefined ? {} : { days: args.days }),
      ...(args.asOf === undefined ? {} : { asOf: args.asOf }),
      seed: args.seed,
      onProgress: progressPrinter(output, args.logFormat === 'json'),
    });
    if (args.logFormat === 'json') output.out(JSON.stringify(summary));
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
  } finally {
    lock.release();
  }
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
