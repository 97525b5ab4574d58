import type { RelationKind, WarehouseAdapter, WarehouseConnection } from '../adapter/warehouse-adapter.js';
import type { Relation } from '../project/project-types.js';

/**
 * Statements that replace `relation` with a new `kind`, to run in one transaction: the adapter's
 * dialect says how (DuckDB: `create or replace`, dropping a relation of the other kind first).
 */
export async function replaceStatements(
  adapter: WarehouseAdapter,
  connection: WarehouseConnection,
  relation: Relation,
  kind: RelationKind,
  selectSql: string,
): Promise<string[]> {
  const existing = await adapter.relationKind(relation, connection);
  return adapter.sql.replaceRelation(relation, existing, kind, selectSql);
}
