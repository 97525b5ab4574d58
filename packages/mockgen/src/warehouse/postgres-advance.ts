import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { to as copyTo } from 'pg-copy-streams';
import { advance } from '../advance/advance-warehouse.js';
import type { AdvanceOptions, AdvanceSummary } from '../types.js';
import { DuckdbSession } from './duckdb-session.js';
import {
  loadIntoPostgres,
  type PostgresDestination,
  type PostgresLoadSummary,
  postgresClient,
} from './postgres-loader.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * PostgreSQL's type (information_schema's data_type, precision and scale) as DuckDB's: the
 * inverse of postgresType for the types the raw tables hold.
 *
 * @example
 * duckdbType({ data_type: 'numeric', numeric_precision: 18, numeric_scale: 2 }); // → 'DECIMAL(18,2)'
 * duckdbType({ data_type: 'timestamp without time zone' });                     // → 'TIMESTAMP'
 */
export function duckdbType(column: {
  data_type: string;
  numeric_precision?: number | null;
  numeric_scale?: number | null;
}): string {
  if (column.data_type === 'numeric')
    return column.numeric_precision == null
      ? 'DECIMAL(38,0)'
      : `DECIMAL(${column.numeric_precision},${column.numeric_scale ?? 0})`;
  const known: Record<string, string> = {
    text: 'VARCHAR',
    'character varying': 'VARCHAR',
    bigint: 'BIGINT',
    integer: 'INTEGER',
    smallint: 'SMALLINT',
    'double precision': 'DOUBLE',
    real: 'FLOAT',
    boolean: 'BOOLEAN',
    date: 'DATE',
    'timestamp without time zone': 'TIMESTAMP',
    'timestamp with time zone': 'TIMESTAMPTZ',
    'time without time zone': 'TIME',
    uuid: 'UUID',
  };
  return known[column.data_type] ?? 'VARCHAR';
}

/**
 * Copies every table of a PostgreSQL schema (the mock warehouse's `raw`, with `_mockgen_runs`)
 * into a DuckDB file: each table streamed out with `COPY … TO STDOUT` as CSV and read by DuckDB
 * into a table of the same columns and types. The inverse of loadIntoPostgres.
 */
export async function unloadFromPostgres(
  source: PostgresDestination,
  duckdbPath: string,
  schema = 'raw',
): Promise<{ name: string; rows: number }[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-pg-unload-'));
  const client = postgresClient(source, '-c TimeZone=UTC -c DateStyle=ISO');
  const session = await DuckdbSession.open(duckdbPath);
  const tables: { name: string; rows: number }[] = [];
  try {
    await client.connect();
    const names = (
      await client.query(
        `select table_name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
        [schema],
      )
    ).rows.map((row) => String(row.table_name));
    await session.run(`create schema if not exists ${quote(schema)}`);
    for (const name of names) {
      const columns = (
        await client.query(
          `select column_name, data_type, numeric_precision, numeric_scale from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
          [schema, name],
        )
      ).rows;
      const file = join(scratch, `${name}.csv`);
      const stream = client.query(copyTo(`copy ${quote(schema)}.${quote(name)} to stdout with (format csv)`));
      await pipeline(stream, createWriteStream(file));
      const table = `${quote(schema)}.${quote(name)}`;
      await session.run(
        `create table ${table} (${columns.map((c) => `${quote(String(c.column_name))} ${duckdbType(c)}`).join(', ')})`,
      );
      // Postgres writes NULL as an empty field and an empty string as "" (kept apart here)
      await session.run(
        `copy ${table} from '${file}' (format csv, header false, auto_detect false, delim ',', quote '"', escape '"', allow_quoted_nulls false)`,
      );
      rmSync(file, { force: true });
      tables.push({ name, rows: await session.number(`select count(*) from ${table}`) });
    }
  } finally {
    session.close();
    await client.end().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
  return tables;
}

/**
 * `advance` on a PostgreSQL warehouse: its raw tables are read into a scratch DuckDB file, moved
 * forward there by the same batch code (so a seed gives the same batch on both warehouses), and
 * loaded back with COPY, replacing the `raw` schema in one transaction.
 *
 * @example
 * await advancePostgres({ host: '127.0.0.1', port: 5432, user: 'me', password: 's', dbname: 'shop' }, { days: 7 });
 */
export async function advancePostgres(
  destination: PostgresDestination,
  options: Omit<AdvanceOptions, 'warehousePath'>,
): Promise<AdvanceSummary & { load: PostgresLoadSummary }> {
  const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-pg-advance-'));
  try {
    const file = join(scratch, 'advance.duckdb'); // not raw.duckdb: the catalog would shadow the raw schema
    const schema = options.schema ?? 'raw';
    await unloadFromPostgres(destination, file, schema);
    const summary = await advance({ ...options, warehousePath: file });
    const load = await loadIntoPostgres(file, destination, schema);
    return { ...summary, load };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
