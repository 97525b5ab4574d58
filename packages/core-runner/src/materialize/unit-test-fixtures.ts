import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnDescription, DuckDBAdapter } from '../adapter/duckdb-adapter.js';
import { ShopsmartError } from '../errors.js';
import { quoteIdentifier } from '../template/relation-value.js';

/** A SQL literal for a fixture value from YAML. */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** Rows given as dicts or as CSV text (`format: csv`), as dicts. */
export function fixtureRows(
  rows: unknown,
  format: string | undefined,
  file: string,
): Record<string, unknown>[] {
  if (format === 'csv' && typeof rows === 'string') {
    const [header, ...lines] = rows
      .trim()
      .split('\n')
      .map((l) => l.split(',').map((c) => c.trim()));
    if (!header) return [];
    return lines.map((cells) =>
      Object.fromEntries(header.map((h, i) => [h, cells[i] === '' || cells[i] === 'null' ? null : cells[i]])),
    );
  }
  if (!Array.isArray(rows)) {
    throw new ShopsmartError(
      'SSA-UNIT-003',
      'unit test rows must be a list of mappings (or CSV text with format: csv)',
      { file },
    );
  }
  return rows as Record<string, unknown>[];
}

/**
 * `select` producing the fixture rows. With `columns` (the real relation's or the model's), every
 * column is present and cast to its type — missing ones are null — as dbt builds unit test inputs.
 */
export function fixtureSelect(
  rows: Record<string, unknown>[],
  columns: ColumnDescription[] | undefined,
  file: string,
): string {
  const names = columns?.map((c) => c.name) ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (names.length === 0) {
    throw new ShopsmartError(
      'SSA-UNIT-004',
      'an empty fixture needs an input relation that exists, to know its columns',
      {
        file,
        hint: 'build the input first (shopsmart build runs parents before unit tests) or give at least one row',
      },
    );
  }
  const typeOf = new Map(columns?.map((c) => [c.name, c.dataType]));
  const cell = (row: Record<string, unknown>, name: string) => {
    const literal = sqlLiteral(row[name]);
    const type = typeOf.get(name);
    return type ? `cast(${literal} as ${type})` : literal;
  };
  if (rows.length === 0)
    return `select ${names.map((n) => `cast(null as ${typeOf.get(n) ?? 'varchar'}) as ${quoteIdentifier(n)}`).join(', ')} where false`;
  return rows
    .map((row) => `select ${names.map((n) => `${cell(row, n)} as ${quoteIdentifier(n)}`).join(', ')}`)
    .join('\nunion all\n');
}

/** The columns of a relation when it exists in the warehouse, else undefined. */
export async function existingColumns(
  adapter: DuckDBAdapter,
  connection: DuckDBConnection,
  relationSql: string | undefined,
): Promise<ColumnDescription[] | undefined> {
  if (!relationSql) return undefined;
  try {
    return await adapter.columns(relationSql, connection);
  } catch {
    return undefined;
  }
}
