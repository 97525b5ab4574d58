import type {
  ColumnDescription,
  WarehouseAdapter,
  WarehouseConnection,
} from '../adapter/warehouse-adapter.js';
import { ShopsmartError } from '../errors.js';
import type { ProjectNode } from '../project/project-types.js';
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
    // Typed by the input's columns when it exists; otherwise numbers and booleans are read as such.
    const value = (cell: string | undefined): unknown => {
      if (cell === undefined || cell === '' || cell === 'null') return null;
      if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(cell)) return Number(cell);
      if (cell === 'true' || cell === 'false') return cell === 'true';
      return cell;
    };
    return lines.map((cells) => Object.fromEntries(header.map((h, i) => [h, value(cells[i])])));
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
 * The select a `given` or `expect` stands for: `format: sql` is the user's query as written (dbt:
 * it must give every column); dict and csv rows become a select typed by `columns`.
 */
export function fixtureQuery(
  given: { rows?: unknown; format?: string },
  columns: (rows: Record<string, unknown>[]) => ColumnDescription[] | undefined,
  file: string,
): string {
  if (given.format === 'sql') {
    if (typeof given.rows !== 'string' || !given.rows.trim())
      throw new ShopsmartError(
        'SSA-UNIT-003',
        'unit test rows in format: sql must be a select (or a fixture .sql file)',
        {
          file,
        },
      );
    return `select * from (\n${given.rows.trim().replace(/;\s*$/, '')}\n) as __dbt__sql_fixture`;
  }
  const rows = fixtureRows(given.rows, given.format, file);
  return fixtureSelect(rows, columns(rows), file);
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
    if (type) return `cast(${literal} as ${type})`;
    // Untyped (the input is not built yet): dates and timestamps written as text become such.
    const value = row[name];
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `date ${literal}`;
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value))
      return `timestamp ${literal}`;
    return literal;
  };
  if (rows.length === 0)
    return `select ${names.map((n) => `${typeOf.get(n) ? `cast(null as ${typeOf.get(n)})` : 'null'} as ${quoteIdentifier(n)}`).join(', ')} where false`;
  return rows
    .map((row) => `select ${names.map((n) => `${cell(row, n)} as ${quoteIdentifier(n)}`).join(', ')}`)
    .join('\nunion all\n');
}

/** The columns of a relation when it exists in the warehouse, else undefined. */
export async function existingColumns(
  adapter: WarehouseAdapter,
  connection: WarehouseConnection,
  relationSql: string | undefined,
): Promise<ColumnDescription[] | undefined> {
  if (!relationSql) return undefined;
  try {
    return await adapter.columns(relationSql, connection);
  } catch {
    return undefined;
  }
}

/**
 * When an input relation is not in the warehouse (nothing built yet), its documented columns stand
 * in for the real ones, untyped: columns a fixture leaves out are plain NULLs, which DuckDB casts
 * to whatever the model does with them. So unit tests run without building their inputs first.
 */
export function declaredColumns(
  node: ProjectNode | undefined,
  rows: Record<string, unknown>[],
): ColumnDescription[] | undefined {
  const documented = Object.keys(node?.columns ?? {});
  if (documented.length === 0) return undefined;
  const given = rows.flatMap((row) => Object.keys(row));
  return [...new Set([...documented, ...given])].map((name) => ({
    name,
    dataType: node?.columns[name]?.dataType ?? '',
  }));
}
