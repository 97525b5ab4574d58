import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  advance,
  advancePostgres,
  duckdbType,
  generateWarehouse,
  loadIntoPostgres,
  RAW_TABLES,
} from '../src/index.js';
import { DuckdbSession } from '../src/warehouse/duckdb-session.js';
import { usePostgresServer } from './support/postgres-server.js';

const dir = mkdtempSync(join(tmpdir(), 'mockgen-pg-advance-'));

usePostgresServer();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('advance on a PostgreSQL warehouse', () => {
  it('maps Postgres types back to DuckDB types', () => {
    expect(duckdbType({ data_type: 'numeric', numeric_precision: 18, numeric_scale: 2 })).toBe(
      'DECIMAL(18,2)',
    );
    expect(duckdbType({ data_type: 'timestamp without time zone' })).toBe('TIMESTAMP');
    expect(duckdbType({ data_type: 'text' })).toBe('VARCHAR');
  });

  it('moves the shop forward as advance does on DuckDB, batch for batch', async () => {
    const path = join(dir, 'mock.duckdb');
    await generateWarehouse({ warehousePath: path, scale: 0.05, seed: 7, asOf: '2024-06-30' });
    const schema = `raw_adv_${process.pid}`;
    const destination = {
      host: process.env.PGHOST as string,
      port: Number(process.env.PGPORT ?? 5432),
      user: process.env.PGUSER as string,
      password: process.env.PGPASSWORD ?? '',
      dbname: process.env.PGDATABASE as string,
    };
    // the same warehouse in both: a copy of the file as the raw schema `schema`
    const session = await DuckdbSession.open(path);
    const names = (
      await session.rows(`select table_name from information_schema.tables where table_schema = 'raw'`)
    ).map((r) => String(r.table_name));
    await session.run(
      `create schema ${schema}; ${names.map((t) => `create table ${schema}.${t} as select * from raw.${t};`).join(' ')}`,
    );
    session.close();
    await loadIntoPostgres(path, destination, schema);
    const duckdbCopy = join(dir, 'duckdb-side.duckdb');
    copyFileSync(path, duckdbCopy);

    const onDuckdb = await advance({ warehousePath: duckdbCopy, schema, days: 7 });
    const onPostgres = await advancePostgres(destination, { schema, days: 7 });
    expect(onPostgres.asOf).toBe('2024-07-07');
    expect(onPostgres.tables).toEqual(onDuckdb.tables);
    expect(onPostgres.tables.reduce((sum, t) => sum + t.inserted, 0)).toBeGreaterThan(0);

    const duck = await DuckdbSession.open(duckdbCopy);
    const client = new pg.Client({ options: '-c TimeZone=UTC -c DateStyle=ISO' });
    await client.connect();
    try {
      for (const table of RAW_TABLES) {
        const [expected] = await duck.rows(`select count(*) as n from ${schema}.${table}`);
        const { rows } = await client.query(`select count(*)::int as n from ${schema}.${table}`);
        expect(rows[0].n, table).toBe(Number(expected?.n));
      }
      const runs = await client.query(
        `select batch, kind, as_of::text as as_of from ${schema}._mockgen_runs order by batch`,
      );
      expect(runs.rows.map((r) => `${r.batch} ${r.kind} ${r.as_of.slice(0, 10)}`)).toEqual([
        '0 generate 2024-06-30',
        '1 advance 2024-07-07',
      ]);
      const totals = `select sum(order_total_cents)::varchar as total, max(ordered_at)::varchar as latest, count(distinct status)::varchar as statuses from ${schema}.orders`;
      const [onDuckdbTotals] = await duck.rows(totals);
      const onPostgresTotals = (await client.query(totals)).rows[0];
      expect(onPostgresTotals).toEqual({ ...onDuckdbTotals });
    } finally {
      duck.close();
      await client.end();
      const cleanup = new pg.Client();
      await cleanup.connect();
      await cleanup.query(`drop schema if exists ${schema} cascade`);
      await cleanup.end();
    }
  });
});
