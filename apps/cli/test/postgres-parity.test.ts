import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin } from './support/cli-binary.js';
import { scratchProject } from './support/scratch-project.js';

/**
 * The ShopSmart project on PostgreSQL against the same project on DuckDB: the same seed and scale
 * (and the shop's clock) generated into both, `build` on each with every data test passing, then every mart read back
 * from both and compared row for row (order-independent): text, dates, integers and money exactly
 * (to the cent), doubles to 1e-9 relative (a double rounded to n places to one unit of its last
 * place). The run-time audit column `dbt_updated_at` differs by construction and is left out.
 *
 * Postgres is the server the PG* variables name (CI's throwaway cluster); without them a throwaway
 * cluster is started here, so a machine without a PostgreSQL server fails this suite rather than
 * skipping it. Each run uses a database of its own, dropped afterwards.
 */
const scale = '0.1';
const seed = '7';
const asOf = '2026-06-30';
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const throwaway = join(repoRoot, 'scripts', 'pg-throwaway.sh');
const database = `ssa_parity_${randomBytes(4).toString('hex')}`;
const project = scratchProject('pg-parity');
let stopServer: () => void = () => undefined;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args, '--project-dir', project.dir],
      { env: { ...process.env, ...env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

async function admin<T>(sql: string, db = 'postgres'): Promise<pg.QueryResult> {
  const client = new pg.Client({ database: db });
  await client.connect();
  try {
    return await client.query<T & pg.QueryResultRow>(sql);
  } finally {
    await client.end();
  }
}

const pgEnv = () => ({ PGDATABASE: database });
const summary = (run: Run) => run.stdout.match(/^Finished .*$/m)?.[0] ?? `${run.stdout}\n${run.stderr}`;

let duckBuild: Run;
let pgBuild: Run;
let marts: string[];

beforeAll(async () => {
  if (!(process.env.PGHOST && process.env.PGUSER)) {
    const exports = execFileSync('bash', [throwaway, 'start'], { encoding: 'utf8' });
    for (const [, key, value] of exports.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm))
      process.env[key as string] = value;
    const dir = process.env.SHOPSMART_PG_DIR as string;
    stopServer = () => execFileSync('bash', [throwaway, 'stop', dir]);
  }
  await admin(`create database ${database}`);
  const generateArgs = ['generate', '--scale', scale, '--seed', seed, '--as-of', asOf];
  const [duckGenerate, pgGenerate] = [
    await cli(generateArgs),
    await cli([...generateArgs, '--target', 'pg'], pgEnv()),
  ];
  expect(duckGenerate.code, duckGenerate.stderr).toBe(0);
  expect(pgGenerate.code, pgGenerate.stderr).toBe(0);
  duckBuild = await cli(['build']);
  pgBuild = await cli(['build', '--target', 'pg'], pgEnv());
  const manifest = JSON.parse(readFileSync(join(project.dir, 'target', 'manifest.json'), 'utf8')) as {
    nodes: Record<
      string,
      { resource_type: string; package_name: string; name: string; config: { materialized: string } }
    >;
  };
  marts = Object.values(manifest.nodes)
    .filter(
      (n) =>
        n.resource_type === 'model' && n.package_name === 'marts' && n.config.materialized !== 'ephemeral',
    )
    .map((n) => n.name)
    .sort();
}, 900_000);

afterAll(async () => {
  try {
    await admin(`drop database if exists ${database} with (force)`);
  } finally {
    stopServer();
    project.remove();
  }
});

/** Every column as text (doubles parsed back to numbers), with the column types to compare by. */
interface Table {
  columns: { name: string; kind: 'double' | 'exact' }[];
  rows: (string | number | null)[][];
}

const isDouble = (type: string) => /^(double|float|real)/i.test(type);

async function readDuckdb(relation: string, columns: string[]): Promise<(string | null)[][]> {
  const instance = await DuckDBInstance.create(join(project.dir, 'warehouse', 'dev.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select ${columns.map((c) => `cast("${c}" as varchar)`).join(', ')} from main."${relation}"`,
    );
    return reader.getRows().map((row) => row.map((v) => (v === null ? null : String(v))));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function readPostgres(relation: string, columns: string[]): Promise<(string | null)[][]> {
  const result = await admin(
    `select ${columns.map((c) => `cast("${c}" as varchar) as "${c}"`).join(', ')} from main."${relation}"`,
    database,
  );
  return result.rows.map((row) => columns.map((c) => row[c] as string | null));
}

async function duckdbColumns(relation: string): Promise<{ name: string; type: string }[]> {
  const instance = await DuckDBInstance.create(join(project.dir, 'warehouse', 'dev.duckdb'), {
    access_mode: 'READ_ONLY',
  });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select column_name, data_type from information_schema.columns where table_schema = 'main' and table_name = '${relation}' order by ordinal_position`,
    );
    return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function readBoth(relation: string): Promise<{ duckdb: Table; postgres: Table }> {
  const columns = (await duckdbColumns(relation))
    .filter((c) => c.name !== 'dbt_updated_at')
    .map((c) => ({ name: c.name, kind: isDouble(c.type) ? ('double' as const) : ('exact' as const) }));
  const names = columns.map((c) => c.name);
  const parse = (rows: (string | null)[][]) =>
    rows.map((row) => row.map((v, i) => (v !== null && columns[i]?.kind === 'double' ? Number(v) : v)));
  return {
    duckdb: { columns, rows: parse(await readDuckdb(relation, names)) },
    postgres: { columns, rows: parse(await readPostgres(relation, names)) },
  };
}

/** Decimal places a double is shown with (a rounded figure has few; a raw ratio has many). */
const places = (n: number) => (String(n).split('.')[1] ?? '').length;

/**
 * How far two values of each column may be apart: 0 for text, dates, integers and decimals (money
 * to the cent). A double agrees to 1e-9 relative; a double column rounded to at most 4 places
 * (the most places any of its values shows, on either side) may differ by one unit in that place,
 * where the two warehouses' floating point lands on either side of a half (percentile
 * interpolation differs in the last bit between DuckDB and Postgres).
 */
function tolerances(duckdb: Table, postgres: Table): number[] {
  return duckdb.columns.map((column, c) => {
    if (column.kind !== 'double') return 0;
    let shown = 0;
    for (const row of [...duckdb.rows, ...postgres.rows]) {
      const value = row[c];
      if (typeof value === 'number') shown = Math.max(shown, places(value));
    }
    return shown <= 4 ? 10 ** -shown * 1.000001 : 0;
  });
}

const sameValue = (a: string | number | null, b: string | number | null, unit: number) =>
  typeof a === 'number' && typeof b === 'number'
    ? Math.abs(a - b) <= unit + 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))
    : a === b;

/** A row's sort key: doubles rounded to 6 places so both sides sort the same. */
const rowKey = (row: (string | number | null)[]) =>
  row.map((v) => (typeof v === 'number' ? v.toFixed(6) : (v ?? '∅'))).join('\u0001');

/**
 * The differences between two tables as readable lines: row counts, then the rows one side has
 * and the other lacks (the first few of each), each as `column=value` pairs.
 */
function differences(duckdb: Table, postgres: Table): string[] {
  const show = (row: (string | number | null)[]) =>
    duckdb.columns.map((c, i) => `${c.name}=${row[i] ?? 'null'}`).join(', ');
  const left = duckdb.rows;
  const right = postgres.rows;
  const out: string[] = [];
  if (left.length !== right.length) out.push(`rows: duckdb ${left.length}, postgres ${right.length}`);
  const units = tolerances(duckdb, postgres);
  const same = (row: (string | number | null)[], i: number) =>
    row.every((v, c) => sameValue(v, right[i]?.[c] ?? null, units[c] ?? 0));
  // rows are matched by key first (doubles rounded), then any left over pairwise (a double on
  // either side of a rounding boundary)
  const byKey = new Map<string, number[]>();
  right.forEach((row, i) => {
    const key = rowKey(row);
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
  });
  const unmatched = new Set(right.map((_, i) => i));
  const leftOver: (string | number | null)[][] = [];
  for (const row of left) {
    const candidates = byKey.get(rowKey(row)) ?? [];
    const match = candidates.findIndex((i) => unmatched.has(i) && same(row, i));
    if (match === -1) leftOver.push(row);
    else unmatched.delete(candidates[match] as number);
  }
  const onlyDuckdb: (string | number | null)[][] = [];
  for (const row of leftOver) {
    const match = [...unmatched].find((i) => same(row, i));
    if (match === undefined) onlyDuckdb.push(row);
    else unmatched.delete(match);
  }
  for (const row of onlyDuckdb.slice(0, 5)) out.push(`only on duckdb:   ${show(row)}`);
  for (const i of [...unmatched].slice(0, 5)) out.push(`only on postgres: ${show(right[i] ?? [])}`);
  if (onlyDuckdb.length > 5 || unmatched.size > 5)
    out.push(`(${onlyDuckdb.length} rows only on duckdb, ${unmatched.size} only on postgres in all)`);
  return out;
}

describe(`the ShopSmart project on PostgreSQL and DuckDB (scale ${scale}, seed ${seed})`, () => {
  it('builds on DuckDB with every data test passing', () => {
    expect(duckBuild.code, `${duckBuild.stdout}\n${duckBuild.stderr}`).toBe(0);
    expect(summary(duckBuild)).toMatch(/— all good/);
  });

  it('builds on PostgreSQL with every model built and every data test passing', () => {
    const errors = pgBuild.stdout.match(/^(Error|Failure) in .*$/gm) ?? [];
    expect(errors, summary(pgBuild)).toEqual([]);
    expect(pgBuild.code, `${pgBuild.stdout}\n${pgBuild.stderr}`).toBe(0);
    expect(summary(pgBuild)).toMatch(/^Finished build in .*: OK=\d+ PASS=\d+ — all good$/);
    // the same nodes ran on both
    expect(summary(pgBuild).replace(/ in [\d.]+s/, '')).toBe(summary(duckBuild).replace(/ in [\d.]+s/, ''));
  });

  it('gives every mart the same rows on both, money to the cent', async () => {
    expect(marts.length).toBeGreaterThanOrEqual(20);
    expect(await martDifferences()).toEqual({});
  });

  it('advances the shop a week on both, and the incremental builds still agree mart for mart', async () => {
    const [duckAdvance, pgAdvance] = [
      await cli(['advance', '--days', '7']),
      await cli(['advance', '--days', '7', '--target', 'pg'], pgEnv()),
    ];
    expect(duckAdvance.code, duckAdvance.stderr).toBe(0);
    expect(pgAdvance.code, pgAdvance.stderr).toBe(0);
    // the same batch: the same new and updated rows per raw table
    const batch = (run: Run) => run.stdout.replace(/ in [\d.]+s/, '');
    expect(batch(pgAdvance)).toBe(batch(duckAdvance));
    expect(pgAdvance.stdout).toMatch(/^Advanced the shop 7 days, from 2026-06-30 to 2026-07-07/m);
    const [duckRebuild, pgRebuild] = [await cli(['build']), await cli(['build', '--target', 'pg'], pgEnv())];
    expect(summary(duckRebuild)).toMatch(/— all good/);
    expect(pgRebuild.stdout.match(/^(Error|Failure) in .*$/gm) ?? [], summary(pgRebuild)).toEqual([]);
    expect(summary(pgRebuild)).toMatch(/— all good/);
    expect(await martDifferences()).toEqual({});
  });
});

/** Every mart read from both warehouses: the differences of each mart that has any. */
async function martDifferences(): Promise<Record<string, string[]>> {
  const report: Record<string, string[]> = {};
  for (const mart of marts) {
    const { duckdb, postgres } = await readBoth(mart);
    expect(duckdb.rows.length, `${mart} is empty on DuckDB`).toBeGreaterThan(0);
    const diff = differences(duckdb, postgres);
    if (diff.length > 0) report[mart] = diff;
  }
  return report;
}
