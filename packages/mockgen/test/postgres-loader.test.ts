import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWarehouse, loadIntoPostgres, postgresType } from '../src/index.js';
import { DuckdbSession } from '../src/warehouse/duckdb-session.js';
import { usePostgresServer } from './support/postgres-server.js';

const dir = mkdtempSync(join(tmpdir(), 'mockgen-pg-'));

usePostgresServer();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the mock warehouse loaded into PostgreSQL', () => {
  it('maps DuckDB types to Postgres types', () => {
    expect(postgresType('DECIMAL(18,2)')).toBe('numeric(18,2)');
    expect(postgresType('TIMESTAMP')).toBe('timestamp');
    expect(postgresType('VARCHAR')).toBe('text');
  });

  it('holds the same rows, table by table, as the generated DuckDB file', async () => {
    const path = join(dir, 'mock.duckdb');
    await generateWarehouse({ warehousePath: path, scale: 0.05, seed: 7, asOf: '2024-06-30' });
    const schema = `raw_${process.pid}`;
    const session = await DuckdbSession.open(path);
    await session.run(
      `create schema ${schema}; ${['orders', 'order_items', 'customers', 'products'].map((t) => `create table ${schema}.${t} as select * from raw.${t};`).join(' ')}`,
    );
    const expected = await session.rows(
      `select count(*) as n, sum(order_total_cents) as total, max(ordered_at)::varchar as latest from ${schema}.orders`,
    );
    const items = await session.number(`select count(*) from ${schema}.order_items`);
    session.close();
    const summary = await loadIntoPostgres(
      path,
      {
        host: process.env.PGHOST as string,
        port: Number(process.env.PGPORT ?? 5432),
        user: process.env.PGUSER as string,
        password: process.env.PGPASSWORD ?? '',
        dbname: process.env.PGDATABASE as string,
      },
      schema,
    );
    expect(summary.tables.map((t) => t.name)).toEqual(['customers', 'order_items', 'orders', 'products']);
    const client = new pg.Client({ options: '-c TimeZone=UTC' });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select count(*)::int as n, sum(order_total_cents)::text as total, to_char(max(ordered_at), 'YYYY-MM-DD HH24:MI:SS') as latest from ${schema}.orders`,
      );
      expect(rows[0].n).toBe(Number(expected[0]?.n));
      expect(Number(rows[0].total)).toBe(Number(expected[0]?.total));
      expect(rows[0].latest).toBe(String(expected[0]?.latest).slice(0, 19));
      expect(summary.tables.find((t) => t.name === 'order_items')?.rows).toBe(items);
      const types = await client.query(
        `select data_type from information_schema.columns where table_schema = '${schema}' and table_name = 'orders' and column_name = 'order_total_cents'`,
      );
      expect(types.rows[0].data_type).toBe('bigint');
    } finally {
      await client.end();
    }
  });
});
