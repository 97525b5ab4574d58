import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll } from 'vitest';
import { METADATA_TABLES, RAW_TABLES } from '../../src/index.js';

export type Row = Record<string, unknown>;

export interface Probe {
  rows(sql: string): Promise<Row[]>;
  /** First column of the first row as a number. */
  value(sql: string): Promise<number>;
}

const created: string[] = [];
// Registered while the importing test file is collected: its warehouses go when it is done.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempDir(prefix = 'mockgen-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Opens a warehouse file (or :memory:) for the duration of `fn`, then releases the file lock. */
export async function withDb<T>(path: string, fn: (probe: Probe) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const probe: Probe = {
    rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson() as Row[],
    value: async (sql) => {
      const v = (await connection.runAndReadAll(sql)).getRowsJson()[0]?.[0];
      return v === null || v === undefined ? Number.NaN : Number(v);
    },
  };
  try {
    return await fn(probe);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** An order-independent checksum of every row of every mockgen table: equal data, equal sums. */
export async function checksums(path: string, schema = 'raw'): Promise<Record<string, string>> {
  return withDb(path, async (db) => {
    const out: Record<string, string> = {};
    for (const table of [...RAW_TABLES, ...METADATA_TABLES]) {
      const [row] = await db.rows(
        `select count(*) as n, coalesce(sum(hash(t::varchar)::hugeint), 0) as h from "${schema}"."${table}" as t`,
      );
      out[table] = `${String(row?.n)}:${String(row?.h)}`;
    }
    return out;
  });
}

/** The contract's seed folder, as staging ships it. */
export const SEEDS_DIR = new URL('../../../staging/seeds', import.meta.url).pathname;
