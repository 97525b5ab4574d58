import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { postgresTypes } from '../src/adapter/postgres/postgres-values.js';
import { queryWarehouse } from './fixture-project.js';

const script = join(import.meta.dirname, '..', '..', '..', 'scripts', 'pg-throwaway.sh');

/**
 * The Postgres suites run against the server the PG* variables name (CI's throwaway cluster, or
 * any Postgres a developer points them at). Without them a throwaway cluster is started for the
 * file and removed after it. Returns the stop function.
 */
export function usePostgres(): () => void {
  if (process.env.PGHOST && process.env.PGUSER) return () => undefined;
  const exports = execFileSync('bash', [script, 'start'], { encoding: 'utf8' });
  for (const [, key, value] of exports.matchAll(/^export (\w+)='?([^'\n]*)'?$/gm))
    process.env[key as string] = value;
  const dir = process.env.SHOPSMART_PG_DIR as string;
  return () => {
    execFileSync('bash', [script, 'stop', dir]);
    for (const key of ['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE', 'SHOPSMART_PG_DIR'])
      delete process.env[key];
  };
}

/** A warehouse the engine suites run on: how a fixture's profile names it, and how to read it. */
export interface WarehouseTarget {
  type: 'duckdb' | 'postgres';
  /** The profiles.yml `outputs.dev` body (indented 6 spaces) for a fixture in `dir`. */
  output(dir: string, schema: string, threads: number): string;
  /** Runs SQL on the warehouse outside any run (integers and decimals as numbers). */
  query(dir: string, sql: string): Promise<Record<string, unknown>[]>;
}

export const duckdbTarget: WarehouseTarget = {
  type: 'duckdb',
  output: (dir, schema, threads) =>
    `      type: duckdb\n      path: ${join(dir, 'wh.duckdb')}\n      schema: ${schema}\n      threads: ${threads}\n`,
  query: (dir, sql) => queryWarehouse(join(dir, 'wh.duckdb'), sql),
};

export const postgresTarget: WarehouseTarget = {
  type: 'postgres',
  output: (_dir, schema, threads) =>
    [
      '      type: postgres',
      `      host: "{{ env_var('PGHOST') }}"`,
      `      port: "{{ env_var('PGPORT', '5432') | int }}"`,
      `      user: "{{ env_var('PGUSER') }}"`,
      `      password: "{{ env_var('PGPASSWORD', '') }}"`,
      `      dbname: "{{ env_var('PGDATABASE') }}"`,
      `      schema: ${schema}`,
      `      threads: ${threads}`,
      '',
    ].join('\n'),
  query: async (_dir, sql) => {
    const client = new pg.Client({ options: '-c TimeZone=UTC', types: postgresTypes });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  },
};
