import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DuckdbSession } from './duckdb-session.js';

/** Where the raw tables go: a PostgreSQL database (the target's connection). */
export interface PostgresDestination {
  host: string;
  port: number;
  user: string;
  password: string;
  dbname: string;
  /** libpq sslmode; anything but disable/allow/prefer connects with TLS. */
  sslmode?: string;
}

export interface PostgresLoadSummary {
  tables: { name: string; rows: number }[];
  durationMs: number;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * DuckDB's type name as PostgreSQL's: the raw tables hold text, integers, decimals, doubles,
 * booleans, dates and timestamps.
 *
 * @example
 * postgresType('DECIMAL(18,2)'); // → 'numeric(18,2)'
 * postgresType('TIMESTAMP');     // → 'timestamp'
 */
export function postgresType(duckdbType: string): string {
  const type = duckdbType.toUpperCase();
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(type);
  if (decimal) return `numeric(${decimal[1]},${decimal[2]})`;
  const known: Record<string, string> = {
    VARCHAR: 'text',
    BIGINT: 'bigint',
    INTEGER: 'integer',
    SMALLINT: 'smallint',
    TINYINT: 'smallint',
    HUGEINT: 'numeric',
    UBIGINT: 'numeric',
    UINTEGER: 'bigint',
    DOUBLE: 'double precision',
    FLOAT: 'real',
    BOOLEAN: 'boolean',
    DATE: 'date',
    TIMESTAMP: 'timestamp',
    'TIMESTAMP WITH TIME ZONE': 'timestamptz',
    TIME: 'time',
    UUID: 'uuid',
    JSON: 'jsonb',
  };
  return known[type] ?? 'text';
}

/** A client for the destination (TLS as its sslmode asks), with the session `options` given. */
export function postgresClient(destination: PostgresDestination, options: string): pg.Client {
  const secure = !['disable', 'allow', 'prefer', undefined].includes(destination.sslmode);
  return new pg.Client({
    host: destination.host,
    port: destination.port,
    user: destination.user,
    password: destination.password,
    database: destination.dbname,
    ssl: secure ? { rejectUnauthorized: destination.sslmode?.startsWith('verify') ?? false } : false,
    options,
  });
}

/**
 * Copies every table of the generated DuckDB file's `raw` schema into PostgreSQL: each table
 * written by DuckDB to CSV and streamed with `COPY … FROM STDIN`. The whole `raw` schema is
 * replaced in one transaction, so a failure leaves the previous raw tables as they were.
 *
 * @example
 * await loadIntoPostgres('/tmp/mock.duckdb', { host: '127.0.0.1', port: 5432, user: 'me', password: 's', dbname: 'shop' });
 * // → { tables: [{ name: 'products', rows: 200 }, …], durationMs: 2100 }
 */
export async function loadIntoPostgres(
  duckdbPath: string,
  destination: PostgresDestination,
  schema = 'raw',
): Promise<PostgresLoadSummary> {
  const started = performance.now();
  const scratch = mkdtempSync(join(tmpdir(), 'shopsmart-pg-load-'));
  const session = await DuckdbSession.open(duckdbPath);
  const client = postgresClient(destination, '-c TimeZone=UTC');
  const tables: { name: string; rows: number }[] = [];
  try {
    await client.connect();
    const names = (
      await session.rows(
        `select table_name from information_schema.tables where table_schema = '${schema}' and table_type = 'BASE TABLE' order by table_name`,
      )
    ).map((row) => String(row.table_name));
    await client.query('begin');
    await client.query(`drop schema if exists ${quote(schema)} cascade`);
    await client.query(`create schema ${quote(schema)}`);
    for (const name of names) {
      const columns = await session.rows(
        `select column_name, data_type from information_schema.columns where table_schema = '${schema}' and table_name = '${name}' order by ordinal_position`,
      );
      const target = `${quote(schema)}.${quote(name)}`;
      await client.query(
        `create table ${target} (${columns.map((c) => `${quote(String(c.column_name))} ${postgresType(String(c.data_type))}`).join(', ')})`,
      );
      const file = join(scratch, `${name}.csv`);
      await session.run(
        `copy (select * from ${quote(schema)}.${quote(name)}) to '${file}' (format csv, header false, timestampformat '%Y-%m-%d %H:%M:%S.%f')`,
      );
      const stream = client.query(copyFrom(`copy ${target} from stdin with (format csv)`));
      await pipeline(createReadStream(file), stream);
      rmSync(file, { force: true });
      tables.push({ name, rows: Number(stream.rowCount) });
    }
    await client.query('commit');
    for (const { name } of tables) await client.query(`analyze ${quote(schema)}.${quote(name)}`);
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    session.close();
    await client.end().catch(() => undefined);
    rmSync(scratch, { recursive: true, force: true });
  }
  return { tables, durationMs: performance.now() - started };
}
