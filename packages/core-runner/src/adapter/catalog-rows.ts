import type { ColumnValue } from '../template/render-scope.js';
import type { CatalogRelation, ColumnDescription } from './warehouse-adapter.js';

/**
 * Groups a catalog query's rows (one per column: database_name, schema_name, table_name, kind,
 * table_comment, row_count, column_name, data_type, column_index, column_comment) into relations.
 */
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

/** Columns as the templates' `adapter.get_columns_in_relation` hands them out (dbt's Column fields). */
export function templateColumns(columns: readonly ColumnDescription[]): ColumnValue[] {
  return columns.map((c) => ({ name: c.name, column: c.name, dtype: c.dataType, data_type: c.dataType }));
}
