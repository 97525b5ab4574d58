import type { Relation } from '../../project/project-types.js';
import type { SqlDialect } from '../sql-dialect.js';
import { incrementalWriteSql, literal, quoteIdentifier, renderRelation } from '../standard-sql.js';
import type { ColumnDescription, RelationKind } from '../warehouse-adapter.js';

export { literal, quoteIdentifier, renderRelation } from '../standard-sql.js';

/**
 * DuckDB's SQL for the engine.
 *
 * @example
 * duckdbDialect.replaceRelation({ schema: 'main', identifier: 'orders' }, 'view', 'table', 'select 1 as x');
 * // → ['drop view "main"."orders"', 'create or replace table "main"."orders" as (\nselect 1 as x\n)']
 */
export const duckdbDialect: SqlDialect = {
  quote: quoteIdentifier,
  literal,
  render: renderRelation,
  replaceRelation(
    relation: Relation,
    existing: RelationKind | undefined,
    kind: RelationKind,
    selectSql: string,
  ) {
    const target = renderRelation(relation);
    const statements: string[] = [];
    // DuckDB will not replace a view with a table (or back): drop the other kind first.
    if (existing && existing !== kind) statements.push(`drop ${existing} ${target}`);
    statements.push(`create or replace ${kind} ${target} as (\n${selectSql}\n)`);
    return statements;
  },
  createTempTable: (name, selectSql) => [`create or replace temp table ${name} as (\n${selectSql}\n)`],
  dropTable: (name) => `drop table if exists ${name}`,
  incrementalWrite: incrementalWriteSql,
  addColumn: (target, column: ColumnDescription) =>
    `alter table ${target} add column ${quoteIdentifier(column.name)} ${column.dataType}`,
  dropColumn: (target, column) => `alter table ${target} drop column ${quoteIdentifier(column)}`,
  alterColumnType: (target, column) =>
    `alter table ${target} alter column ${quoteIdentifier(column.name)} type ${column.dataType}`,
  freshness(relation, loadedAt, filter) {
    // The epoch columns make the age independent of the session time zone (a naive timestamp is UTC).
    return [
      'select max_loaded_at, snapshotted_at, epoch_ms(max_loaded_at) as max_loaded_at_ms, epoch_ms(snapshotted_at) as snapshotted_at_ms',
      'from (',
      `  select max(${loadedAt}) as max_loaded_at, now() as snapshotted_at`,
      `  from ${renderRelation(relation)}`,
      ...(filter ? [`  where ${filter}`] : []),
      ') as freshness',
    ].join('\n');
  },
  exportFile(selectSql, path, { format, partitionBy, delimiter }) {
    const options = [
      `format ${format}`,
      ...(format === 'csv' ? ['header true', `delimiter ${literal(delimiter)}`] : []),
      ...(partitionBy.length > 0 ? [`partition_by (${partitionBy.map(quoteIdentifier).join(', ')})`] : []),
    ];
    return `copy (\n${selectSql}\n) to ${literal(path)} (${options.join(', ')})`;
  },
  readFile(path, { format, partitionBy, delimiter }) {
    const partitioned = partitionBy.length > 0;
    const files = partitioned ? `${path}/**/*.${format}` : path;
    const hive = partitioned ? ', hive_partitioning = true' : '';
    if (format === 'csv')
      return `read_csv(${literal(files)}, header = true, delim = ${literal(delimiter)}${hive})`;
    if (format === 'json') return `read_json_auto(${literal(files)}${hive})`;
    return `read_parquet(${literal(files)}${hive})`;
  },
};

/**
 * The select reading a seed with DuckDB's CSV reader: `column_types` fix declared columns,
 * `delimiter` and `quote_columns` behave as in dbt.
 */
export function seedSelectSql(
  path: string,
  delimiter: string,
  columnTypes: Record<string, string>,
  normalizeNames: boolean,
  columnNames?: string[],
): string {
  const options = [
    `header = true`,
    `delim = ${literal(delimiter)}`,
    `strict_mode = true`,
    `null_padding = false`,
    // dbt-duckdb types whole-number columns `integer` (agate's Integer; BIGINT only when a value
    // does not fit) and numbers with decimals `float8` (DOUBLE).
    `auto_type_candidates = ['NULL', 'BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'TIME', 'DATE', 'TIMESTAMP', 'VARCHAR']`,
  ];
  // quote_columns: false asks for plain identifiers, as dbt would create them unquoted:
  // DuckDB's normalize_names lower-cases header names and replaces what an identifier cannot hold.
  if (normalizeNames && columnNames && columnNames.length > 0)
    options.push(`names = [${columnNames.map(literal).join(', ')}]`);
  else if (normalizeNames) options.push('normalize_names = true');
  if (Object.keys(columnTypes).length > 0) {
    options.push(
      `types = {${Object.entries(columnTypes)
        .map(([c, t]) => `${literal(c)}: ${literal(String(t))}`)
        .join(', ')}}`,
    );
  }
  return `select * from read_csv(${literal(path)}, ${options.join(', ')})`;
}
