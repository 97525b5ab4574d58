import type { SqlDialect } from '../adapter/sql-dialect.js';
import type { ColumnDescription } from '../adapter/warehouse-adapter.js';
import { ShopsmartError } from '../errors.js';

export type OnSchemaChange = 'ignore' | 'append_new_columns' | 'sync_all_columns' | 'fail';

export interface SchemaChangePlan {
  /** Statements altering the target before new rows go in. */
  alterations: string[];
  /** Columns written by the insert/merge (present in both after alterations). */
  columns: string[];
}

/**
 * dbt's `on_schema_change` for incremental models: compares the existing table with the new rows
 * and says what to alter and which columns to write.
 */
export function planSchemaChange(
  target: string,
  existing: ColumnDescription[],
  incoming: ColumnDescription[],
  mode: OnSchemaChange,
  modelName: string,
  dialect: SqlDialect,
): SchemaChangePlan {
  const existingNames = new Set(existing.map((c) => c.name));
  const incomingNames = new Set(incoming.map((c) => c.name));
  const added = incoming.filter((c) => !existingNames.has(c.name));
  const removed = existing.filter((c) => !incomingNames.has(c.name));
  const typeChanged = incoming.filter((c) =>
    existing.some((e) => e.name === c.name && e.dataType !== c.dataType),
  );
  const changed = added.length > 0 || removed.length > 0 || typeChanged.length > 0;
  if (mode === 'fail' && changed) {
    const parts = [
      added.length ? `new columns ${added.map((c) => c.name).join(', ')}` : '',
      removed.length ? `removed columns ${removed.map((c) => c.name).join(', ')}` : '',
      typeChanged.length ? `changed types ${typeChanged.map((c) => c.name).join(', ')}` : '',
    ].filter(Boolean);
    throw new ShopsmartError(
      'SSA-INCR-002',
      `the columns of incremental model '${modelName}' changed: ${parts.join('; ')}`,
      {
        hint: "run with --full-refresh, or set on_schema_change to 'append_new_columns' or 'sync_all_columns'",
      },
    );
  }
  if (mode === 'ignore' && removed.length > 0) {
    // dbt's default writes the table's own columns from the new rows: a column the model no
    // longer selects cannot be read, and the run fails (it never fills it with NULL).
    throw new ShopsmartError(
      'SSA-INCR-005',
      `incremental model '${modelName}' no longer selects ${removed.map((c) => c.name).join(', ')}, which its table has (on_schema_change 'ignore' inserts the table's columns)`,
      {
        hint: "run with --full-refresh, or set on_schema_change to 'sync_all_columns' (drops them) or 'append_new_columns' (keeps them, NULL for new rows)",
      },
    );
  }
  const alterations: string[] = [];
  if (mode === 'append_new_columns' || mode === 'sync_all_columns') {
    for (const column of added) alterations.push(dialect.addColumn(target, column));
  }
  if (mode === 'sync_all_columns') {
    for (const column of removed) alterations.push(dialect.dropColumn(target, column.name));
    for (const column of typeChanged) alterations.push(dialect.alterColumnType(target, column));
  }
  const finalNames = new Set(existingNames);
  if (mode === 'append_new_columns' || mode === 'sync_all_columns')
    for (const c of added) finalNames.add(c.name);
  if (mode === 'sync_all_columns') for (const c of removed) finalNames.delete(c.name);
  const columns = incoming.map((c) => c.name).filter((name) => finalNames.has(name));
  return { alterations, columns };
}
