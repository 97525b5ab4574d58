import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

/** A JS stack frame: `    at fn (file:12:3)` or `    at file:12:3`. */
export const stackFrame = /^\s+at .*(\(.*:\d+:\d+\)|:\d+:\d+)$/m;

/** The tiny project every case starts from: a source, a seed, a macro, two models, tests. */
export const baseFiles: Record<string, string> = {
  'dbt_project.yml': 'name: shop\nprofile: shop\nconfig-version: 2\n',
  'profiles.yml':
    'shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: wh.duckdb\n      threads: 2\n',
  'models/_sources.yml':
    'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: customers\n',
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: stg_customers',
    '    columns:',
    '      - name: customer_id',
    '        data_tests:',
    '          - unique',
    '          - not_null',
    '  - name: customer_count',
    '',
  ].join('\n'),
  'models/stg_customers.sql':
    "select id as customer_id, name, {{ cents('id') }} as id_cents from {{ source('raw', 'customers') }}\n",
  'models/customer_count.sql':
    "{{ config(materialized='table') }}\nselect count(*) as n from {{ ref('stg_customers') }}\n",
  'seeds/countries.csv': 'code,name\nNL,Netherlands\nFR,France\n',
  'macros/cents.sql': '{% macro cents(col) %}({{ col }} * 100){% endmacro %}\n',
};

export interface BadInputCase {
  name: string;
  /** Files written over the base project (relative path → text; null removes the file). */
  files?: Record<string, string | Uint8Array | null>;
  args: string[];
  code: number;
  /** Each must appear in the output (stdout + stderr): the file/line or key the message names. */
  says: (string | RegExp)[];
  env?: Record<string, string>;
  /** Extra preparation in the case's folder (a lock file, a warehouse removed). */
  prepare?: (dir: string) => void;
  /** Set false when the case has no warehouse to compare (it is removed or elsewhere). */
  warehouse?: boolean;
  /** Extra checks on the folder after the run. */
  after?: (dir: string) => void;
}

export type WarehouseShape = Record<string, number | string>;

/** Every relation of the warehouse with its kind and row count (views counted through). */
export async function warehouseShape(file: string): Promise<WarehouseShape> {
  const db = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await db.connect();
  try {
    const reader = await connection.runAndReadAll(
      'select table_schema, table_name, table_type from information_schema.tables where table_catalog = current_database() order by 1, 2',
    );
    const shape: WarehouseShape = {};
    for (const [schema, name, type] of reader.getRows() as [string, string, string][]) {
      const count = await connection.runAndReadAll(`select count(*) from "${schema}"."${name}"`);
      shape[`${schema}.${name} (${type})`] = Number(count.getRows()[0]?.[0]);
    }
    return shape;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

/** Writes files into dir (null removes). */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array | null>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    if (text === null) rmSync(full, { force: true, recursive: true });
    else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    }
  }
}

/** At most this many CLI processes at once per test file (CI has 2 cores; files run side by side). */
const maxSpawns = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function runCli(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ code: number; output: string }> {
  if (running >= maxSpawns) await new Promise<void>((go) => waiting.push(go));
  running++;
  try {
    return await spawnCli(args, cwd, env);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function spawnCli(
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * A base project with its warehouse built once (raw data, seed, models); each case runs on a copy.
 * `extra` files are added to the base before the build (a category's own fixtures).
 */
export async function buildBase(
  extra: Record<string, string> = {},
): Promise<{ dir: string; shape: WarehouseShape }> {
  const dir = mkdtempSync(join(tmpdir(), 'ssa-bad-input-base-'));
  writeFiles(dir, { ...baseFiles, ...extra });
  const db = await DuckDBInstance.create(join(dir, 'wh.duckdb'));
  const connection = await db.connect();
  await connection.run(
    "create schema raw; create table raw.customers as select i as id, 'c' || i as name from range(1, 6) t(i)",
  );
  connection.closeSync();
  db.closeSync();
  const built = await runCli(['build', '--project-dir', dir], dir);
  if (built.code !== 0) throw new Error(`the base project does not build:\n${built.output}`);
  rmSync(join(dir, 'target'), { recursive: true, force: true });
  return { dir, shape: await warehouseShape(join(dir, 'wh.duckdb')) };
}

/** Runs one case on a copy of the base and asserts exit code, message, no stack, warehouse unchanged. */
export async function checkCase(
  base: { dir: string; shape: WarehouseShape },
  c: BadInputCase,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ssa-bad-input-'));
  try {
    cpSync(base.dir, dir, { recursive: true });
    writeFiles(dir, c.files ?? {});
    c.prepare?.(dir);
    const args = c.args.map((a) => a.replaceAll('$DIR', dir));
    const { code, output } = await runCli([...args, '--project-dir', dir], dir, c.env);
    const shown = `exit ${code}\n${output}`;
    expect(output, shown).not.toMatch(stackFrame);
    expect(output, shown).not.toMatch(/internal error/i);
    for (const fact of c.says) {
      if (typeof fact === 'string') expect(output, shown).toContain(fact.replaceAll('$DIR', dir));
      else expect(output, shown).toMatch(fact);
    }
    expect(code, shown).toBe(c.code);
    if (c.warehouse !== false) expect(await warehouseShape(join(dir, 'wh.duckdb'))).toEqual(base.shape);
    c.after?.(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
