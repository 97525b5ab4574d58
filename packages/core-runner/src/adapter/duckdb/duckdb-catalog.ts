import type { CatalogRelation } from '../warehouse-adapter.js';
import { literal } from './duckdb-dialect.js';

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

/** Groups the catalog query's rows (one per column) into relations. */
export function catalogRelations(rows: Record<string, unknown>[]): CatalogRelation[] {
  const byKey = new Map<string, CatalogRelation>();
  for (const row of rows) {
    const key = `${row.database_name}\u0000${row.schema_name}\u0000${row.table_name}`;
    let relation = byKey.get(key);
    if (!relation) {
      relation = {
        database: String(row.database_name),
        schema: String(row.schema_name),
        name: String(row.table_name),
        kind: row.kind === 'view' ? 'view' : 'table',
        columns: [],
        comment: row.table_comment == null ? null : String(row.table_comment),
        ...(row.kind === 'table' && row.row_count != null ? { rowCount: Number(row.row_count) } : {}),
      };
      byKey.set(key, relation);
    }
    relation.columns.push({
      name: String(row.column_name),
      type: String(row.data_type),
      index: Number(row.column_index),
      comment: row.column_comment == null ? null : String(row.column_comment),
    });
  }
  return [...byKey.values()];
}
