import { createReadStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { literal, quoteIdentifier, renderRelation } from '../standard-sql.js';
import type { SeedLoad } from '../warehouse-adapter.js';
import { postgresReplaceSql } from './postgres-dialect.js';

/** Splits CSV text into rows of fields (quotes, doubled quotes, delimiters and newlines in quotes). */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  const endField = () => {
    row.push(quoted || field !== '' ? field : '');
    field = '';
    quoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inQuotes) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') inQuotes = false;
      else field += char;
    } else if (char === '"') {
      inQuotes = true;
      quoted = true;
    } else if (text.startsWith(delimiter, i)) {
      endField();
      i += delimiter.length - 1;
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endField();
      if (row.some((f) => f !== '') || row.length > 1) rows.push(row);
      row = [];
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

const integer = /^[-+]?\d+$/;
const decimal = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const date = /^\d{4}-\d{2}-\d{2}$/;
const timestamp = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const boolean = /^(true|false)$/i;

/**
 * The column type a seed's values fit, as DuckDB's CSV reader infers it: bigint, double
 * precision, boolean, date, timestamp, else text (an empty column is text).
 *
 * @example
 * inferType(['1', '2', '']); // → 'bigint'
 * inferType(['1.5', '2']);   // → 'double precision'
 */
export function inferType(values: string[]): string {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'text';
  const all = (pattern: RegExp) => present.every((v) => pattern.test(v));
  if (all(integer)) return present.every((v) => Number.isSafeInteger(Number(v))) ? 'bigint' : 'numeric';
  if (all(decimal)) return 'double precision';
  if (all(boolean)) return 'boolean';
  if (all(date)) return 'date';
  if (all(timestamp)) return 'timestamp';
  return 'text';
}

/** dbt's `quote_columns: false`: header names as plain lower-case identifiers. */
const normalized = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^(\d)/, '_$1');

/**
 * Loads a seed with `COPY … FROM STDIN` (the file streamed, not row inserts) into a new table
 * with the types the values fit (or `column_types`), then swaps it in — all in the caller's
 * transaction. Returns the rows copied.
 */
export async function loadSeedWithCopy(
  client: Client,
  seed: SeedLoad,
  run: (sql: string) => Promise<unknown>,
): Promise<number> {
  const rows = parseCsv(readFileSync(seed.path, 'utf8').replace(/^\uFEFF/, ''), seed.delimiter);
  const [header = [], ...body] = rows;
  const names = header.map((h) => (seed.normalizeNames ? normalized(h) : h));
  const types = names.map(
    (name, index) =>
      seed.columnTypes[name] ??
      seed.columnTypes[header[index] as string] ??
      inferType(body.map((r) => r[index] ?? '')),
  );
  const existing = await existingKind(client, seed);
  if (seed.reload && existing === 'table') {
    // dbt without --full-refresh: the table keeps its definition; its rows are replaced.
    const target = renderRelation(seed.relation);
    seed.recordSql(`truncate table ${target}`);
    await run(`truncate table ${target}`);
    const copyInto = `copy ${target} (${names.map(quoteIdentifier).join(', ')}) from stdin with (format csv, header true, delimiter ${literal(seed.delimiter)})`;
    seed.recordSql(copyInto);
    const into = client.query(copyFrom(copyInto));
    await pipeline(createReadStream(seed.path), into);
    await run(`analyze ${target}`);
    return Number(into.rowCount ?? body.length);
  }
  const [create, ...swap] = postgresReplaceSql(seed.relation, existing, 'table', 'select 1');
  const fresh = (create as string).slice('create table '.length, (create as string).indexOf(' as ('));
  const createSql = `create table ${fresh} (${names.map((n, i) => `${quoteIdentifier(n)} ${types[i]}`).join(', ')})`;
  seed.recordSql(createSql);
  await run(createSql);
  const copySql = `copy ${fresh} (${names.map(quoteIdentifier).join(', ')}) from stdin with (format csv, header true, delimiter ${literal(seed.delimiter)})`;
  seed.recordSql(copySql);
  const stream = client.query(copyFrom(copySql));
  await pipeline(createReadStream(seed.path), stream);
  for (const statement of swap) {
    seed.recordSql(statement);
    await run(statement);
  }
  await run(`analyze ${renderRelation(seed.relation)}`);
  return Number(stream.rowCount ?? body.length);
}

async function existingKind(client: Client, seed: SeedLoad): Promise<'table' | 'view' | undefined> {
  const { rows } = await client.query<{ kind: string }>(
    `select case when c.relkind in ('v', 'm') then 'view' else 'table' end as kind
     from pg_class as c join pg_namespace as n on n.oid = c.relnamespace
     where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'v', 'm', 'p')`,
    [seed.relation.schema, seed.relation.identifier],
  );
  const kind = rows[0]?.kind;
  return kind === 'view' || kind === 'table' ? kind : undefined;
}
