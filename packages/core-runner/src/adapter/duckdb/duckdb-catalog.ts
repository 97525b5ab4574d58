import { literal } from './duckdb-dialect.js';

export { catalogRelations } from '../catalog-rows.js';

/**
 * The catalog query: every relation of `schemas` with its columns in order, and the row count
 * DuckDB keeps for tables (`duckdb_tables().estimated_size`, exact for committed data). DuckDB
 * keeps no per-table byte size that is cheap to read, so bytes are not reported.
 *
 * @example
 * catalogSql(['main']);
 * // select t.database_name as db, t.schema_name as sch, … from duckdb_columns() c … where lower(c.schema_name) in ('main')
 */
export function catalogSql(schemas: readonly string[]): string {
  const wanted = schemas.map((s) => literal(s.toLowerCase())).join(', ');
  return `select
  c.database_name as database_name,
  c.schema_name as schema_name,
  c.table_name as table_name,
  case when v.view_name is null then 'table' else 'view' end as kind,
  coalesce(t.comment, v.comment) as table_comment,
  t.estimated_size as row_count,
  c.column_name as column_name,
  c.data_type as data_type,
  c.column_index as column_index,
  c.comment as column_comment
from duckdb_columns() as c
left join duckdb_tables() as t
  on t.database_name = c.database_name and t.schema_name = c.schema_name and t.table_name = c.table_name
left join duckdb_views() as v
  on v.database_name = c.database_name and v.schema_name = c.schema_name and v.view_name = c.table_name
where lower(c.schema_name) in (${wanted || "''"})
  and not c.internal
order by 1, 2, 3, c.column_index`;
}
