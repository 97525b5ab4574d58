/**
 * `<database>.information_schema.<view>`, as packages write it for warehouses that keep one
 * information schema per database (dbt_utils' get_tables_by_pattern_sql:
 * `from {{ database }}.information_schema.tables`), does not resolve on DuckDB: its information
 * schema lives in the `system` catalog and lists every attached database. Such a reference becomes
 * the system view restricted to that database, under the view's name, so the query's column
 * references and filters read as written. References DuckDB resolves (`information_schema.x`,
 * `system.information_schema.x`) are left alone.
 *
 * @example
 * qualifyInformationSchema('select table_name from compat.information_schema.tables where x')
 * // → "select table_name from (select * from system.information_schema.tables where table_catalog = 'compat') as tables where x"
 */
export function qualifyInformationSchema(sql: string): string {
  if (!/information_schema/i.test(sql)) return sql;
  // Only outside string literals.
  return sql
    .split(stringLiteral)
    .map((part, index) => (index % 2 === 1 ? part : qualifyIn(part)))
    .join('');
}

const stringLiteral = /('(?:[^']|'')*')/;

function qualifyIn(sql: string): string {
  return sql.replace(reference, (whole, database: string, view: string, offset: number, text: string) => {
    const name = unquote(database);
    if (['system', 'temp'].includes(name.toLowerCase())) return whole;
    const viewName = unquote(view).toLowerCase();
    const catalogColumn = viewName === 'schemata' ? 'catalog_name' : 'table_catalog';
    const filter = catalogColumns.has(viewName)
      ? ` where ${catalogColumn} = '${name.replace(/'/g, "''")}'`
      : '';
    const after = text.slice(offset + whole.length);
    const aliased = aliasFollows.exec(after);
    const alias = aliased && !keywords.has((aliased[1] as string).toLowerCase()) ? '' : ` as ${viewName}`;
    return `(select * from system.information_schema.${viewName}${filter})${alias}`;
  });
}

const identifier = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)`;
const reference = new RegExp(
  String.raw`(?<![\w."])(${identifier})\s*\.\s*(?:"information_schema"|information_schema)\s*\.\s*(${identifier})`,
  'gi',
);
const aliasFollows = /^\s+(?:as\s+)?([A-Za-z_]\w*)/i;
/** The views with a database column to restrict on (DuckDB names it catalog_name in schemata). */
const catalogColumns = new Set([
  'tables',
  'columns',
  'views',
  'schemata',
  'table_constraints',
  'key_column_usage',
]);
/** Words that may follow a table reference and are not an alias. */
const keywords = new Set([
  'where',
  'join',
  'inner',
  'left',
  'right',
  'full',
  'cross',
  'natural',
  'on',
  'using',
  'group',
  'order',
  'limit',
  'offset',
  'union',
  'except',
  'intersect',
  'having',
  'window',
  'qualify',
  'fetch',
  'positional',
  'asof',
  'anti',
  'semi',
]);

const unquote = (name: string): string =>
  name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name;
